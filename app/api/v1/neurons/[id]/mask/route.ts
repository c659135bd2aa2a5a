// GET /api/v1/neurons/{id}/mask: consensus voxels (gzip raw uint8) for the 3D view.
import { neuronMask, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(neuronMask);
