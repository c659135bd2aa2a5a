// Submitting a trace: validation with the game's own rules, idempotent storage, the crowd consensus
// (Dawid–Skene with a weighted-majority baseline beside it), retirement, reliability, spawning and points.
// A campaign cube's whole update runs in one transaction with the task row locked, so parallel submissions
// end exactly where the same submissions in sequence would.
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import type { TaskStatus } from "@/server/db/generated/enums";
import { compareToConsensus, type Comparison } from "@/core/consensus";
import { chosen, retirement, seedWorthy, type ConsensusMethod } from "@/core/crowd-consensus";
import { scoreSubmission } from "@/core/score";
import { validateTrace } from "@/core/trace";
import { validateSplits, type TraceSplit } from "@/core/trace-splits";
import type { Actor } from "./actor";
import { computeCubeConsensus, updateReliabilities, withoutSeeds } from "./cube-consensus";
import { cubeAdjacency, prefetchNeighbours, sizeMap } from "./cube-contents";
import { createRecomputeJob, RECOMPUTE_KIND } from "./consensus-recompute";
import { dispatchJob } from "@/server/jobs/runtime";
import { badInput, conflict, forbidden, notFound } from "./errors";
import { gradePractice } from "./practice";
import { retryOnConflict } from "@/server/security/db-unavailable";
import { completeIfDone, lockNeuron, spawnNeighbours } from "./spawning";

export type SubmitInput = { traceId: string; taskId: string; supervoxels: number[]; splits?: TraceSplit[] };

export type Review = { correct: number[]; missed: number[]; extra: number[] };

export type SubmitResult = {
  traceId: string;
  taskId: string;
  neuronId: string;
  practice: boolean;
  points: number;
  breakdown: { volume: number; accuracy: number; trailblazer: number; streak: number };
  streak: number;
  /** How this trace compares with the consensus of the players before it (practice: with the answer); null when first. */
  comparison: { precision: number; recall: number; f1: number; agreed: number; extra: number; missed: number } | null;
  /** Which of the player's supervoxels the consensus before them kept (seeds left out); null when first or practice. */
  review: Review | null;
  submissions: number;
  redundancy: number;
  retired: boolean;
  consensusSize: number;
  confidence: number | null;
  /** Neighbouring cubes this submission spawned (when it retired the cube). */
  spawned: number;
  neuronComplete: boolean;
};

/** A trace may list at most this many supervoxels (the API rejects more before any work). */
export const MAX_TRACE_SUPERVOXELS = 5000;

export const summarize = (c: Comparison) => ({ precision: c.precision, recall: c.recall, f1: c.f1, agreed: c.agreed.length, extra: c.extra.length, missed: c.missed.length });

export async function submitTrace(db: Db, actor: Actor, input: SubmitInput): Promise<SubmitResult> {
  // Three independent reads at once (one round trip of latency, not three); judged in the old order.
  const [repeat, found, assigned] = await Promise.allSettled([
    storedResult(db, actor, input.traceId),
    fixedTask(db, input.taskId),
    db.assignment.findUnique({ where: { taskId_userId: { taskId: input.taskId, userId: actor.userId } }, select: { taskId: true } }),
  ]);
  if (repeat.status === "rejected") throw repeat.reason;
  if (repeat.value) return repeat.value;
  if (found.status === "rejected") throw found.reason;
  const task = found.value;
  if (!task) throw notFound("task");
  if (assigned.status === "rejected") throw assigned.reason;
  if (!assigned.value) {
    // A cached cube may have been deleted since (its neuron removed): that is "not found", as uncached.
    if (fixedTasks.delete(task.id) && !(await db.task.findUnique({ where: { id: task.id }, select: { id: true } }))) throw notFound("task");
    throw forbidden("this task was not assigned to you: ask for a task first");
  }
  const checked = validateTrace({ supervoxels: input.supervoxels }, { supervoxelIds: task.supervoxelIds, maxSelected: MAX_TRACE_SUPERVOXELS });
  if (!checked.ok) throw badInput(`invalid trace: ${checked.errors.join("; ")}`, checked.errors);
  const supervoxels = Array.from(new Set([...checked.supervoxels, ...task.seeds])).sort((a, b) => a - b);
  const box = { x0: task.x0, y0: task.y0, z0: task.z0, x1: task.x1, y1: task.y1, z1: task.z1 };
  const splits = validateSplits(input.splits, { box, selected: new Set(supervoxels) });
  if (!splits.ok) throw badInput(`invalid splits: ${splits.errors.join("; ")}`, splits.errors);

  try {
    if (task.kind === "PRACTICE") return await gradePractice(db, actor, task, input.traceId, supervoxels);
    // Read from disk and computed before the transaction, so no lock is held meanwhile: the cube's
    // supervoxel adjacency and, when this submission may retire the cube, its neighbours' contents.
    await cubeAdjacency(task.dataset.slug, box);
    if (task.submissions + 1 >= Math.min(task.neuron.minPlayers, task.maxPlayers)) await prefetchNeighbours(task.dataset, task);
    // Two submissions of one neuron can deadlock (cube, player and neuron rows): the loser runs again.
    const run = () => db.$transaction((tx) => submitToCube(tx, actor, task, input.traceId, supervoxels, splits.splits), { timeout: 60_000, maxWait: 60_000 });
    const answer = await retryOnConflict(run);
    // Handed to this instance's queue now if it runs one; otherwise any instance's sweeper enqueues the row.
    if (answer.recomputeJobId) await dispatchJob(RECOMPUTE_KIND, answer.recomputeJobId).catch(() => {});
    return answer.result;
  } catch (err) {
    // Two identical submits raced: the loser finds the winner's row and answers the same.
    if ((err as { code?: string }).code === "P2002") {
      const again = await storedResult(db, actor, input.traceId);
      if (again) return again;
    }
    throw err;
  }
}

/**
 * A task with its neuron and dataset. Of it, the submit path uses before the lock only what never changes
 * once a campaign cube exists (box, grid cell, supervoxel ids and sizes, neuron settings, dataset
 * geometry); what submissions change is read again under the row lock. So campaign cubes are kept in a
 * per-process cache: a submit does not read the cube's large arrays from the database again.
 */
type FixedTask = Prisma.TaskGetPayload<{ include: { neuron: true; dataset: true } }>;
const MAX_CACHED_TASKS = Number(process.env.AXONAUT_TASK_CACHE ?? 2000);
const fixedTasks = new Map<string, FixedTask>();

async function fixedTask(db: Db, id: string): Promise<FixedTask | null> {
  const hit = fixedTasks.get(id);
  if (hit) return hit;
  const task = await db.task.findUnique({ where: { id }, include: { neuron: true, dataset: true } });
  if (task?.kind === "CAMPAIGN") {
    fixedTasks.set(id, task);
    while (fixedTasks.size > MAX_CACHED_TASKS) fixedTasks.delete(fixedTasks.keys().next().value as string);
  }
  return task;
}
/** What the submit transaction reads again under the row lock: the columns that change, and the neuron's settings. */
type LockedTask = { status: TaskStatus; submissions: number; consensus: number[]; seeds: number[]; maxPlayers: number };
type NeuronSettings = { minPlayers: number; neuronMaxPlayers: number; retireConfidence: number; minExitVoxels: number; maxCubesPerCell: number; consensusMethod: ConsensusMethod };

async function submitToCube(
  tx: Prisma.TransactionClient,
  actor: Actor,
  fixed: FixedTask,
  traceId: string,
  traced: number[],
  splits: TraceSplit[] = [],
): Promise<{ result: SubmitResult; recomputeJobId?: string }> {
  const taskId = fixed.id;
  // Lock and read in one statement: the row as the submissions before this one left it.
  const [row] = await tx.$queryRaw<(LockedTask & NeuronSettings)[]>`
    SELECT t."status"::text AS "status", t."submissions", t."consensus", t."seeds", t."maxPlayers",
           n."minPlayers", n."maxPlayers" AS "neuronMaxPlayers", n."retireConfidence", n."minExitVoxels", n."maxCubesPerCell", n."consensusMethod"::text AS "consensusMethod"
    FROM "Task" t JOIN "Neuron" n ON n."id" = t."neuronId" WHERE t."id" = ${taskId} FOR UPDATE OF t`;
  if (!row) throw notFound("task");
  const { minPlayers, neuronMaxPlayers, retireConfidence, minExitVoxels, maxCubesPerCell, consensusMethod, ...locked } = row;
  // Every stored trace of the cube, read once: whether this player has one, and the votes for the consensus.
  const stored = await tx.trace.findMany({ where: { taskId }, select: { id: true, userId: true, supervoxels: true } });
  const mine = stored.find((t) => t.userId === actor.userId);
  // The same submit again (it waited for the lock while its twin went through): the same answer.
  if (mine?.id === traceId) {
    const again = await tx.trace.findUniqueOrThrow({ where: { id: traceId }, select: { result: true } });
    return { result: again.result as SubmitResult };
  }
  if (mine) throw conflict("you already submitted a trace for this task");
  if (locked.status !== "OPEN") throw conflict("this cube is already complete: ask for a new task");
  // Seeds may have grown (a neighbour retired) since the trace was validated: they are always part of it.
  const supervoxels = locked.seeds.every((s) => traced.includes(s)) ? traced : Array.from(new Set([...traced, ...locked.seeds])).sort((a, b) => a - b);
  const task = { ...fixed, ...locked };
  fixed.submissions = locked.submissions + 1; // only a hint (whether the next submit may retire the cube)
  const neuron = { ...fixed.neuron, minPlayers, maxPlayers: neuronMaxPlayers, retireConfidence, minExitVoxels, maxCubesPerCell, consensusMethod };
  const sizes = sizeMap(task);
  const first = task.submissions === 0;

  // Compared with what the players before agreed on: the stored consensus of their traces.
  const before = first ? null : compareToConsensus(withoutSeeds(supervoxels, task.seeds), withoutSeeds(task.consensus, task.seeds), sizes);
  const selectedVoxels = withoutSeeds(supervoxels, task.seeds).reduce((s, id) => s + (sizes.get(id) ?? 0), 0);
  const [user] = await tx.$queryRaw<{ streak: number; bestStreak: number }[]>`
    SELECT "streak", "bestStreak" FROM "User" WHERE "id" = ${actor.userId} FOR UPDATE`;
  if (!user) throw notFound("user");
  const score = scoreSubmission({ selectedVoxels, f1: before ? before.f1 : null, first, streak: user.streak });

  const votes = await computeCubeConsensus(tx, task, fixed.dataset.slug, { userId: actor.userId, supervoxels }, stored);
  const result = chosen(votes.result, neuron.consensusMethod);
  const submissions = task.submissions + 1;
  const decision = retirement({
    submissions,
    confidence: result.confidence,
    minPlayers: neuron.minPlayers,
    maxPlayers: task.maxPlayers,
    threshold: neuron.retireConfidence,
    provenPlayers: votes.proven,
  });
  await tx.task.update({
    where: { id: taskId },
    data: {
      submissions,
      consensus: result.supervoxels,
      majority: votes.result.majority.supervoxels,
      confidence: result.confidence,
      redundancy: decision.wanted,
      status: decision.retire ? "RETIRED" : "OPEN",
      retiredAt: decision.retire ? new Date() : null,
    },
  });

  let spawned = 0;
  let neuronComplete = false;
  let recomputeJobId: string | undefined;
  if (decision.retire) {
    await lockNeuron(tx, neuron.id);
    await updateReliabilities(tx, task, votes, neuron.consensusMethod);
    const seedable = new Set(seedWorthy(votes.result, result, task.seeds, neuron.retireConfidence));
    const exits = await spawnNeighbours(tx, { ...task, consensus: result.supervoxels }, neuron, fixed.dataset, seedable);
    spawned = exits.filter((e) => e.taskId !== null).length;
    neuronComplete = await completeIfDone(tx, neuron.id);
    // The finished neuron's consensus again with the reliabilities as they are now (a job; the outbox row
    // commits with the completion, so it is never lost).
    if (neuronComplete) recomputeJobId = (await createRecomputeJob(tx, { neuronId: neuron.id }, null)).id;
  }

  const answer: SubmitResult = {
    traceId,
    taskId,
    neuronId: task.neuronId,
    practice: false,
    points: score.points,
    breakdown: score.breakdown,
    streak: score.streak,
    comparison: before && summarize(before),
    review: before && { correct: before.agreed, missed: before.missed, extra: before.extra },
    submissions,
    redundancy: decision.wanted,
    retired: decision.retire,
    consensusSize: result.supervoxels.length,
    confidence: result.confidence,
    spawned,
    neuronComplete,
  };
  await tx.trace.create({ data: { id: traceId, taskId, userId: actor.userId, supervoxels, points: score.points, f1: before?.f1 ?? null, result: answer, ...(splits.length ? { splits } : {}) } });
  await tx.user.update({
    where: { id: actor.userId },
    data: { points: { increment: score.points }, streak: score.streak, bestStreak: Math.max(user.bestStreak, score.streak) },
  });
  return { result: answer, recomputeJobId };
}

export async function storedResult(db: Db, actor: Actor, traceId: string): Promise<SubmitResult | null> {
  const trace = await db.trace.findUnique({ where: { id: traceId }, select: { userId: true, result: true } });
  if (!trace) return null;
  if (trace.userId !== actor.userId) throw conflict("this trace id is already used");
  return trace.result as SubmitResult;
}

/** The player's trace of a campaign cube against the cube's current consensus (seeds left out). */
export async function reviewTrace(db: Db, actor: Actor, taskId: string) {
  const trace = await db.trace.findUnique({ where: { taskId_userId: { taskId, userId: actor.userId } }, include: { task: true } });
  if (!trace) throw notFound("your trace of this task");
  if (trace.task.kind === "PRACTICE") throw forbidden("practice answers are not shown");
  const t = trace.task;
  const c = compareToConsensus(withoutSeeds(trace.supervoxels, t.seeds), withoutSeeds(t.consensus, t.seeds), sizeMap(t));
  return { taskId, correct: c.agreed, missed: c.missed, extra: c.extra, f1: c.f1, submissions: t.submissions, retired: t.status === "RETIRED" };
}
