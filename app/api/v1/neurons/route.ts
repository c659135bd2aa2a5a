// GET /api/v1/neurons?dataset=&campaign=&status=&limit=&offset= (public; drafts for their owner).
import { listNeuronsApi, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(listNeuronsApi);
