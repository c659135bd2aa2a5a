// Next calls register() once per server process at start: every app instance works the job queue
// (imports, and whatever else runs through server/jobs), not only the one that served the import page.
// AXONAUT_JOBS=off keeps an instance out of it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("@/server/jobs/server-runtime")).ensureJobRuntime();
}
