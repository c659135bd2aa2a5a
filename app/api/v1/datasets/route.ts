// GET /api/v1/datasets: READY datasets (public).
import { listDatasets, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(listDatasets);
