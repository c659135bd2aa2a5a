// A cube's consensus from its stored traces and its players' reliabilities, and the reliability update
// when the cube retires. Runs inside the submit transaction (the task row is locked by the caller).
import type { Prisma } from "@/server/db/generated/client";
import type { Role } from "@/server/db/generated/enums";
import { compareToConsensus } from "@/core/consensus";
import { chosen, crowdConsensus, type ConsensusMethod, type CrowdConsensus } from "@/core/crowd-consensus";
import { CUBE_UPDATE_EVIDENCE, evidenceFrom, increments, isProven, majorityWeight, NO_EVIDENCE, workerPrior, type ReliabilityCounts } from "@/core/reliability";
import { cubeAdjacency, sizeMap } from "./cube-contents";

type Tx = Prisma.TransactionClient;
type TaskLike = {
  id: string; seeds: number[]; supervoxelIds: number[]; supervoxelSizes: number[];
  x0: number; y0: number; z0: number; x1: number; y1: number; z1: number;
};

export const isExpert = (role: Role) => role === "EXPERT";

/** `proven`: how many of the cube's players are proven (practice passed, or experts). */
export type CubeVotes = { traces: { userId: string; supervoxels: number[] }[]; result: CrowdConsensus; proven: number };

type Vote = { userId: string; supervoxels: number[] };

/**
 * `adding`: a trace not stored yet (the one being submitted), counted with the stored ones.
 * `storedTraces`: the cube's stored traces when the caller has read them already (saves a round trip).
 */
export async function computeCubeConsensus(tx: Tx, task: TaskLike, slug: string, adding?: Vote, storedTraces?: Vote[]): Promise<CubeVotes> {
  const adjacency = await cubeAdjacency(slug, task);
  const stored = storedTraces ?? (await tx.trace.findMany({ where: { taskId: task.id }, select: { userId: true, supervoxels: true } }));
  // Ordered by user: the estimate never depends on which submission arrived first.
  const traces = [...stored.filter((t) => t.userId !== adding?.userId).map((t) => ({ userId: t.userId, supervoxels: t.supervoxels })), ...(adding ? [adding] : [])].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const users = await tx.user.findMany({ where: { id: { in: traces.map((t) => t.userId) } }, select: { id: true, role: true, reliability: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  const result = crowdConsensus({
    adjacency,
    seeds: task.seeds,
    sizes: sizeMap(task),
    traces: traces.map((t) => {
      const u = byId.get(t.userId);
      const counts: ReliabilityCounts = u?.reliability ?? NO_EVIDENCE;
      const expert = u ? isExpert(u.role) : false;
      return {
        workerId: t.userId,
        supervoxels: t.supervoxels,
        priors: { thin: workerPrior(counts, expert, "thin"), thick: workerPrior(counts, expert, "thick") },
        majorityWeight: majorityWeight(counts, expert),
      };
    }),
  });
  const proven = traces.filter((t) => {
    const u = byId.get(t.userId);
    return u ? isProven(u.reliability ?? { ...NO_EVIDENCE, practiceCubes: 0 }, isExpert(u.role)) : false;
  }).length;
  return { traces, result, proven };
}

/** Supervoxels without the seeds: seeds are given, so agreeing on them proves nothing. */
export const withoutSeeds = (ids: readonly number[], seeds: readonly number[]) => {
  const s = new Set(seeds);
  return ids.filter((id) => !s.has(id));
};

/**
 * Adds each player's evidence from a retired cube: soft sensitivity/specificity counts from the
 * Dawid–Skene posterior, and their F1 against the final consensus (the weighted-majority weight).
 */
export async function updateReliabilities(tx: Tx, task: TaskLike, votes: CubeVotes, method: ConsensusMethod) {
  const { result, traces } = votes;
  const final = chosen(result, method).supervoxels;
  const sizes = sizeMap(task);
  const weights = result.items.map((id) => Math.max(1, sizes.get(id) ?? 1));
  // Sorted by user id: rows are locked in one order by every transaction, so they cannot deadlock.
  for (const t of traces) {
    const mine = new Set(t.supervoxels);
    const e = evidenceFrom(result.items.map((id) => (mine.has(id) ? 1 : 0)), result.dawidSkene.probability, weights, CUBE_UPDATE_EVIDENCE);
    const f1 = compareToConsensus(withoutSeeds(t.supervoxels, task.seeds), withoutSeeds(final, task.seeds), sizes).f1;
    await tx.reliability.upsert({
      where: { userId: t.userId },
      create: { userId: t.userId, ...e, accuracySum: f1, accuracyCount: 1, campaignCubes: 1 },
      update: {
        ...increments(e),
        accuracySum: { increment: f1 },
        accuracyCount: { increment: 1 },
        campaignCubes: { increment: 1 },
      },
    });
  }
}
