/**
 * The Job table: what people see of a background job (status, stage, done/total, error), kept apart
 * from pg-boss's own bookkeeping so it reads the same on every instance and after a reload.
 */
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";

export type JobProgress = { stage: string; done: number; total: number };

export async function createJobRecord(db: Db, data: { kind: string; ownerId: string | null; title: string; payload: Prisma.InputJsonValue }) {
  return db.job.create({ data: { ...data, status: "QUEUED" } });
}

/** A RUNNING row untouched this long belongs to an instance that died: a retry may take it over. */
export const STALE_RUNNING_MS = 15 * 60_000;

/**
 * Claim a job for an attempt: a QUEUED row, or a RUNNING one whose instance died. Null when it
 * finished or another instance is working on it (a duplicate or late delivery).
 */
export async function markRunning(db: Db, id: string) {
  const r = await db.job.updateMany({
    where: { id, OR: [{ status: "QUEUED" }, { status: "RUNNING", updatedAt: { lt: new Date(Date.now() - STALE_RUNNING_MS) } }] },
    data: { status: "RUNNING", attempts: { increment: 1 }, startedAt: new Date(), error: null },
  });
  return r.count === 1 ? db.job.findUnique({ where: { id } }) : null;
}

/**
 * `markRunning`, then the row's payload checked against `schema`: a corrupt payload fails the job for
 * good. Null when there is nothing to do (finished, taken by another instance, or corrupt).
 */
export async function claimJob<T>(db: Db, id: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }) {
  const job = await markRunning(db, id);
  if (!job) return null; // finished already, or another instance has it
  const parsed = schema.safeParse(job.payload);
  if (!parsed.success) {
    await markFailed(db, id, `corrupt job payload: ${parsed.error.issues[0]?.message}`, true);
    return null;
  }
  return { job, payload: parsed.data };
}

/**
 * Progress writes, throttled: every stage change, every stage end, else at most one per `everyMs`.
 * Returns the function to call with each progress event and `flush` for the last one.
 */
export function progressWriter(db: Db, id: string, everyMs = 500) {
  let last = 0;
  let stage = "";
  let pending: Promise<unknown> = Promise.resolve();
  const write = (p: JobProgress) => {
    pending = pending.then(() => db.job.update({ where: { id }, data: { stage: p.stage, done: p.done, total: p.total } })).catch(() => {});
  };
  return {
    update(p: JobProgress) {
      const now = Date.now();
      if (p.stage !== stage || p.done === p.total || now - last >= everyMs) {
        last = now;
        stage = p.stage;
        write(p);
      }
    },
    flush: () => pending,
  };
}

export async function markSucceeded(db: Db, id: string, result: Prisma.InputJsonValue) {
  await db.job.update({ where: { id }, data: { status: "SUCCEEDED", result, error: null, finishedAt: new Date() } });
}

/** `final`: no retry will follow (bad input); otherwise the job goes back to QUEUED for the next attempt. */
export async function markFailed(db: Db, id: string, error: string, final: boolean) {
  await db.job.update({
    where: { id },
    data: { status: final ? "FAILED" : "QUEUED", error: error.slice(0, 2000), ...(final ? { finishedAt: new Date() } : {}) },
  });
}
