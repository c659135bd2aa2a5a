// GET /api/v1/campaigns/{id}/stats.csv?table=summary|cubes|players (researcher: owner or admin).
import { campaignStatsCsv, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(campaignStatsCsv);
