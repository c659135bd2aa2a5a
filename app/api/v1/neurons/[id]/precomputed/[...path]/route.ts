// GET /api/v1/neurons/{id}/precomputed/{path}: one file of the Neuroglancer precomputed export.
import { precomputedFile, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(precomputedFile);
