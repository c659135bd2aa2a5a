// Consensus recomputation, a background job. Dawid–Skene weighs each vote by its player's reliability as
// it was when the cube's last trace came in, so a neuron's consensus depends on the order in which its
// cubes retired. When a neuron completes (and on request for a whole dataset or campaign), its retired
// cubes' consensus is computed again from their stored traces with the reliabilities as they are now.
// Only the stored consensus, weighted-majority baseline and confidence change (what reviews and exports
// read): never retirement, redundancy, reliabilities or spawned cubes. Cubes a reviewer overrode keep
// their hand-set consensus. Idempotent: a second run over the same data changes nothing.
import { z } from "zod";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { chosen } from "@/core/crowd-consensus";
import { dispatchJob } from "@/server/jobs/runtime";
import { markFailed, markRunning, markSucceeded, progressWriter } from "@/server/jobs/records";
import { computeCubeConsensus } from "./cube-consensus";
import { cubeAdjacency } from "./cube-contents";

export const RECOMPUTE_KIND = "consensus-recompute";
/** Attempts before a failing job is given up (pg-boss retries it meanwhile). */
const MAX_ATTEMPTS = 3;

export const recomputeScopeSchema = z.union([
  z.object({ neuronId: z.string().min(1) }).strict(),
  z.object({ datasetId: z.string().min(1) }).strict(),
  z.object({ campaignId: z.string().min(1) }).strict(),
]);
export type RecomputeScope = z.infer<typeof recomputeScopeSchema>;

export type RecomputeSummary = { neurons: number; cubes: number; changed: number };

type Writer = Pick<Prisma.TransactionClient, "job">;

/** The Job row (QUEUED) of a recomputation: written in the caller's transaction when it passes one. */
export function createRecomputeJob(db: Writer, scope: RecomputeScope, ownerId: string | null) {
  const what = "neuronId" in scope ? `neuron ${scope.neuronId}` : "datasetId" in scope ? `dataset ${scope.datasetId}` : `campaign ${scope.campaignId}`;
  return db.job.create({ data: { kind: RECOMPUTE_KIND, ownerId, title: `Recompute consensus of ${what}`, payload: scope, status: "QUEUED" } });
}

/** Queues a recomputation (a neuron, a whole dataset or a campaign); returns the Job row's id. */
export async function requestRecompute(db: Db, scope: RecomputeScope, ownerId: string | null = null): Promise<string> {
  const job = await createRecomputeJob(db, recomputeScopeSchema.parse(scope), ownerId);
  await dispatchJob(RECOMPUTE_KIND, job.id);
  return job.id;
}

async function neuronsOf(db: Db, scope: RecomputeScope): Promise<string[]> {
  const where = "neuronId" in scope ? { id: scope.neuronId } : "datasetId" in scope ? { datasetId: scope.datasetId } : { campaignId: scope.campaignId };
  const rows = await db.neuron.findMany({ where: { ...where, isPractice: false }, select: { id: true }, orderBy: { id: "asc" } });
  return rows.map((r) => r.id);
}

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Recomputes the consensus of every retired, not overridden cube of the neuron. Each cube in its own
 * short transaction with its row locked (a reviewer's override waits, and is then kept).
 */
export async function recomputeNeuronConsensus(db: Db, neuronId: string, onCube?: () => void): Promise<{ cubes: number; changed: number }> {
  const neuron = await db.neuron.findUnique({ where: { id: neuronId }, select: { consensusMethod: true, dataset: { select: { slug: true } } } });
  if (!neuron) return { cubes: 0, changed: 0 };
  const tasks = await db.task.findMany({
    where: { neuronId, kind: "CAMPAIGN", status: "RETIRED", overridden: false },
    select: { id: true, x0: true, y0: true, z0: true, x1: true, y1: true, z1: true },
    orderBy: { id: "asc" },
  });
  let changed = 0;
  for (const t of tasks) {
    await cubeAdjacency(neuron.dataset.slug, t); // from disk before the lock
    const did = await db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ status: string; overridden: boolean }[]>`SELECT "status"::text AS "status", "overridden" FROM "Task" WHERE "id" = ${t.id} FOR UPDATE`;
        if (!row || row.status !== "RETIRED" || row.overridden) return false;
        const task = await tx.task.findUniqueOrThrow({ where: { id: t.id } });
        const votes = await computeCubeConsensus(tx, task, neuron.dataset.slug);
        if (votes.traces.length === 0) return false;
        const result = chosen(votes.result, neuron.consensusMethod);
        const majority = votes.result.majority.supervoxels;
        if (sameIds(result.supervoxels, task.consensus) && sameIds(majority, task.majority) && result.confidence === task.confidence) return false;
        await tx.task.update({ where: { id: t.id }, data: { consensus: result.supervoxels, majority, confidence: result.confidence } });
        return true;
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
    if (did) changed++;
    onCube?.();
  }
  return { cubes: tasks.length, changed };
}

/** Every neuron of the scope, one after the other. */
export async function recomputeConsensus(db: Db, scope: RecomputeScope, onProgress?: (p: { done: number; total: number }) => void): Promise<RecomputeSummary> {
  const neurons = await neuronsOf(db, scope);
  const total = await db.task.count({ where: { neuronId: { in: neurons }, kind: "CAMPAIGN", status: "RETIRED", overridden: false } });
  let done = 0;
  let cubes = 0;
  let changed = 0;
  onProgress?.({ done, total });
  for (const id of neurons) {
    const r = await recomputeNeuronConsensus(db, id, () => onProgress?.({ done: ++done, total: Math.max(total, done) }));
    cubes += r.cubes;
    changed += r.changed;
  }
  return { neurons: neurons.length, cubes, changed };
}

/** The job's worker (server/jobs/server-runtime.ts): any instance may run it; pg-boss retries a failure. */
export async function runRecomputeJob(db: Db, jobId: string): Promise<void> {
  const job = await markRunning(db, jobId);
  if (!job) return; // finished already, or another instance has it
  const parsed = recomputeScopeSchema.safeParse(job.payload);
  if (!parsed.success) {
    await markFailed(db, jobId, `corrupt job payload: ${parsed.error.issues[0]?.message}`, true);
    return;
  }
  const progress = progressWriter(db, jobId);
  try {
    const summary = await recomputeConsensus(db, parsed.data, (p) => progress.update({ stage: "cubes", ...p }));
    await progress.flush();
    await markSucceeded(db, jobId, summary);
  } catch (e) {
    await progress.flush();
    const final = job.attempts >= MAX_ATTEMPTS;
    await markFailed(db, jobId, (e as Error).message, final);
    if (!final) throw e;
  }
}
