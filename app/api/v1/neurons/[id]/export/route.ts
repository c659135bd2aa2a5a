// GET /api/v1/neurons/{id}/export?format=swc|nml|precomputed|csv (multi-file formats as .tar.gz).
import { exportNeuronApi, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(exportNeuronApi);
