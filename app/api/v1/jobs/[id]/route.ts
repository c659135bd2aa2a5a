// GET /api/v1/jobs/{id}: an export job's status and progress (the 202 of an export links here), for
// whoever may read the job's neuron.
import { jobStatusApi, nextRoute } from "@/server/http/rest-api";

export const dynamic = "force-dynamic";
export const GET = nextRoute(jobStatusApi);
