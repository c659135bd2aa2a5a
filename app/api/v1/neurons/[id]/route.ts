// GET /api/v1/neurons/{id}.
import { getNeuronApi, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(getNeuronApi);
