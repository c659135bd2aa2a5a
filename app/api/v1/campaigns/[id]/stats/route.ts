// GET /api/v1/campaigns/{id}/stats (researcher: owner or admin).
import { campaignStatsJson, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(campaignStatsJson);
