import "server-only";
// The web server's job runtime: started once per process (kept on globalThis across Next's dev reloads)
// on the app's own database, running every job kind's worker. Any instance that starts it works jobs.
import { getDatabase } from "@/server/db/client";
import { RECOMPUTE_KIND, runRecomputeJob } from "@/server/services/consensus-recompute";
import { EXPORT_KIND, runExportJob } from "@/server/services/exports";
import { IMPORT_KIND, runImportJob } from "@/server/services/imports";
import { storeRoot } from "@/server/store/store";
import { startJobRuntime, type JobRuntime } from "./runtime";

const g = globalThis as unknown as { __axonautJobs?: Promise<JobRuntime> };

/** Start this process's job runtime if it is not running; failures are logged and retried on the next call. */
export function ensureJobRuntime(): Promise<JobRuntime | null> {
  if (process.env.AXONAUT_JOBS === "off") return Promise.resolve(null);
  g.__axonautJobs ??= getDatabase()
    .then((handle) =>
      startJobRuntime(handle, {
        [IMPORT_KIND]: (id) => runImportJob(handle.db, id, { storeDir: storeRoot() }),
        [RECOMPUTE_KIND]: (id) => runRecomputeJob(handle.db, id),
        [EXPORT_KIND]: (id) => runExportJob(handle.db, id),
      }),
    )
    .catch((e: unknown) => {
      g.__axonautJobs = undefined;
      throw e;
    });
  return g.__axonautJobs.catch((e: unknown) => {
    console.error(`job runtime: ${(e as Error).message}`);
    return null;
  });
}
