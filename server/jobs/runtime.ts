/**
 * The job runtime of one server process: the queue on the app's database, the workers of every job
 * kind, and a sweeper. The Job table is an outbox: a service writes the row (QUEUED) in its own
 * request; `dispatchJob` hands it to pg-boss at once when this process runs the queue, and the sweeper
 * of any instance enqueues rows that no queue has seen (created where no runtime was running).
 */
import type { DbHandle } from "@/server/db/client";
import { startJobQueue, type JobQueue, type QueueTarget } from "./queue";

export type JobWorker = (jobId: string, ctx: { attempt: number }) => Promise<void>;
export type JobRuntime = { queue: JobQueue; stop(): Promise<void> };

const SWEEP_MS = 30_000;

export async function startJobRuntime(handle: DbHandle, workers: Record<string, JobWorker>, opts: { target?: QueueTarget; pollingIntervalSeconds?: number } = {}): Promise<JobRuntime> {
  const target: QueueTarget | null =
    opts.target ?? (handle.embedded ? { pglite: handle.embedded } : process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : null);
  if (!target) throw new Error("job queue: no database to run on (PGlite instance or DATABASE_URL)");
  const queue = await startJobQueue(target);
  for (const [kind, worker] of Object.entries(workers)) {
    await queue.work<{ jobId: string }>(kind, (p, job) => worker(p.jobId, { attempt: job.attempt }), { pollingIntervalSeconds: opts.pollingIntervalSeconds });
  }
  const sweep = async () => {
    const rows = await handle.db.job.findMany({
      where: { status: "QUEUED", attempts: 0, kind: { in: Object.keys(workers) }, createdAt: { lt: new Date(Date.now() - 5_000) } },
      select: { id: true, kind: true },
      take: 50,
    });
    for (const r of rows) await queue.enqueue(r.kind, { jobId: r.id }, { singletonKey: r.id });
  };
  const timer = setInterval(() => void sweep().catch(() => {}), SWEEP_MS);
  timer.unref();
  current = queue;
  return {
    queue,
    async stop() {
      clearInterval(timer);
      if (current === queue) current = null;
      await queue.stop();
    },
  };
}

let current: JobQueue | null = null;

/** Enqueue a Job row's work now if this process runs the queue; otherwise a sweeper will. */
export async function dispatchJob(kind: string, jobId: string): Promise<void> {
  if (current) await current.enqueue(kind, { jobId }, { singletonKey: jobId });
}
