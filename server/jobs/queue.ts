/**
 * The job queue: pg-boss 10 (the last line for Node 20) with retries. On PostgreSQL it has its own
 * connection pool, so any app instance can send and work jobs. On the embedded PGlite it shares the
 * app's one PGlite instance through pg-boss's `db.executeSql` option: checked to work (pg-boss's own
 * schema, SKIP LOCKED fetches, retries), since PGlite is a real PostgreSQL in WASM; PGlite serializes
 * the queries of both users. Kept generic: imports now, consensus recomputation and exports later.
 */
import type { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";

export type JobContext = { bossId: string; attempt: number };
export type JobHandler<P> = (payload: P, job: JobContext) => Promise<void>;
export type EnqueueOptions = {
  /** Further attempts after a failure (default 2). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A job running longer is failed (and retried): default 2 h. */
  expireInSeconds?: number;
  /** At most one queued/active job per key (e.g. our Job row id). */
  singletonKey?: string;
};

export type JobQueue = {
  enqueue<P extends object>(name: string, payload: P, opts?: EnqueueOptions): Promise<string | null>;
  work<P extends object>(name: string, handler: JobHandler<P>, opts?: { pollingIntervalSeconds?: number }): Promise<void>;
  /** State of a pg-boss job (for tests and diagnostics). */
  state(name: string, bossId: string): Promise<string | null>;
  stop(): Promise<void>;
};

export type QueueTarget = { connectionString: string } | { pglite: PGlite };

/** pg-boss over PGlite: parameterised statements via query(), its multi-statement DDL via exec(). */
function pgliteExecutor(pg: PGlite) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length > 0) return pg.query(text, values as never[]);
      const results = await pg.exec(text);
      return results[results.length - 1] ?? { rows: [] };
    },
  };
}

export async function startJobQueue(target: QueueTarget, opts: { schema?: string; onError?: (e: Error) => void } = {}): Promise<JobQueue> {
  const common = { schema: opts.schema ?? "pgboss", schedule: false, supervise: true, migrate: true };
  const boss =
    "pglite" in target
      ? new PgBoss({ ...common, db: pgliteExecutor(target.pglite) } as unknown as PgBoss.ConstructorOptions)
      : new PgBoss({ ...common, connectionString: target.connectionString, max: 4 });
  boss.on("error", (e) => (opts.onError ?? ((err: Error) => console.error(`job queue: ${err.message}`)))(e));
  await boss.start();
  const queues = new Set<string>();
  const ensureQueue = async (name: string) => {
    if (queues.has(name)) return;
    if (!(await boss.getQueue(name))) await boss.createQueue(name).catch(async (e: unknown) => {
      if (!(await boss.getQueue(name))) throw e; // another instance created it meanwhile: fine
    });
    queues.add(name);
  };
  return {
    async enqueue(name, payload, o = {}) {
      await ensureQueue(name);
      return boss.send(name, payload, {
        retryLimit: o.retryLimit ?? 2,
        retryDelay: o.retryDelaySeconds ?? 5,
        retryBackoff: true,
        expireInSeconds: o.expireInSeconds ?? 2 * 3600,
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
      });
    },
    async work(name, handler, o = {}) {
      await ensureQueue(name);
      await boss.work<object>(name, { pollingIntervalSeconds: o.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data as never, { bossId: job.id, attempt: (job as { retryCount?: number }).retryCount ?? 0 });
      });
    },
    async state(name, bossId) {
      return (await boss.getJobById(name, bossId))?.state ?? null;
    },
    async stop() {
      await boss.stop({ graceful: false, wait: true });
    },
  };
}
