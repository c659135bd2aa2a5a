// GET /api/v1/neurons/{id}/skeleton: skeleton nodes as JSON.
import { neuronSkeletonJson, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(neuronSkeletonJson);
