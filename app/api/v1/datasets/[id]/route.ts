// GET /api/v1/datasets/{id} (public).
import { getDataset, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(getDataset);
