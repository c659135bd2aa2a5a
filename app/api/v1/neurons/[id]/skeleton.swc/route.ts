// GET /api/v1/neurons/{id}/skeleton.swc: the neuron's consensus skeleton as SWC (µm), with the dataset's
// license in the header. Neurons of a draft campaign are visible only to their researcher and admins.
import { nextRoute, skeletonSwcApi } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(skeletonSwcApi);
