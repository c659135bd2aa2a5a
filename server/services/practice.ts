// Practice cubes: cubes of ground-truth neurons whose answer is known. A new player's votes weigh little until
// practice proves them: each graded practice cube adds sensitivity/specificity evidence and an F1 to their
// reliability. The answer itself never leaves the server (a practice result shows scores, not ids).
import type { Db } from "@/server/db/client";
import { compareToConsensus } from "@/core/consensus";
import { cellBox, cellForPoint } from "@/core/cube-grid";
import { cubeTruth } from "@/core/cube-truth";
import { evidenceFrom, increments, PRACTICE_EVIDENCE } from "@/core/reliability";
import { scoreSubmission } from "@/core/score";
import { ring } from "@/core/supervoxel-graph";
import { loadLabels } from "@/server/store/label-cache";
import type { Actor } from "./actor";
import { withoutSeeds } from "./cube-consensus";
import { cubeAdjacency, datasetGrid, sizeMap } from "./cube-contents";
import { groundTruthBodies, seedNear } from "./demo-campaign";
import { conflict, notFound } from "./errors";
import { startNeuron } from "./neurons";
import type { SubmitResult } from "./traces";

export { PRACTICE_CUBES_TO_PROVE } from "@/core/reliability";

type PracticeTask = { id: string; neuronId: string; datasetId: string; seeds: number[]; answer: number[]; supervoxelIds: number[]; supervoxelSizes: number[]; x0: number; y0: number; z0: number; x1: number; y1: number; z1: number };

// The supervoxels touching the answer: the tempting wrong ones, where specificity shows.
const ringCache = new Map<string, number[]>();
async function answerRing(db: Db, task: PracticeTask): Promise<number[]> {
  const hit = ringCache.get(task.id);
  if (hit) return hit;
  const dataset = await db.dataset.findUniqueOrThrow({ where: { id: task.datasetId }, select: { slug: true } });
  const r = ring(await cubeAdjacency(dataset.slug, task), new Set(task.answer));
  ringCache.set(task.id, r);
  return r;
}

export async function gradePractice(db: Db, actor: Actor, task: PracticeTask, traceId: string, supervoxels: number[]): Promise<SubmitResult> {
  const sizes = sizeMap(task);
  const mine = withoutSeeds(supervoxels, task.seeds);
  const answer = withoutSeeds(task.answer, task.seeds);
  const cmp = compareToConsensus(mine, answer, sizes);
  const items = [...new Set([...answer, ...mine, ...withoutSeeds(await answerRing(db, task), task.seeds)])].sort((a, b) => a - b);
  const picked = new Set(mine);
  const truth = new Set(answer);
  const evidence = evidenceFrom(items.map((id) => (picked.has(id) ? 1 : 0)), items.map((id) => (truth.has(id) ? 1 : 0)), items.map((id) => Math.max(1, sizes.get(id) ?? 1)), PRACTICE_EVIDENCE);
  const score = scoreSubmission({ selectedVoxels: mine.reduce((s, id) => s + (sizes.get(id) ?? 0), 0), f1: cmp.f1, first: false });
  const points = score.breakdown.volume + score.breakdown.accuracy;

  return db.$transaction(async (tx) => {
    const existing = await tx.trace.findUnique({ where: { taskId_userId: { taskId: task.id, userId: actor.userId } }, select: { id: true, result: true } });
    if (existing?.id === traceId) return existing.result as SubmitResult;
    if (existing) throw conflict("you already played this practice cube");
    const updated = await tx.task.update({ where: { id: task.id }, data: { submissions: { increment: 1 } }, select: { submissions: true, redundancy: true } });
    const result: SubmitResult = {
      traceId,
      taskId: task.id,
      neuronId: task.neuronId,
      practice: true,
      points,
      breakdown: { volume: score.breakdown.volume, accuracy: score.breakdown.accuracy, trailblazer: 0, streak: 0 },
      streak: (await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { streak: true } })).streak,
      comparison: { precision: cmp.precision, recall: cmp.recall, f1: cmp.f1, agreed: cmp.agreed.length, extra: cmp.extra.length, missed: cmp.missed.length },
      review: null,
      submissions: updated.submissions,
      redundancy: updated.redundancy,
      retired: false,
      consensusSize: 0,
      confidence: null,
      spawned: 0,
      neuronComplete: false,
    };
    await tx.trace.create({ data: { id: traceId, taskId: task.id, userId: actor.userId, supervoxels, points, f1: cmp.f1, result } });
    await tx.reliability.upsert({
      where: { userId: actor.userId },
      create: { userId: actor.userId, ...evidence, accuracySum: cmp.f1, accuracyCount: 1, practiceCubes: 1 },
      update: {
        ...increments(evidence),
        accuracySum: { increment: cmp.f1 },
        accuracyCount: { increment: 1 },
        practiceCubes: { increment: 1 },
      },
    });
    await tx.user.update({ where: { id: actor.userId }, data: { points: { increment: points } } });
    return result;
  });
}

/**
 * Makes `count` practice cubes from ground-truth bodies ranked `skip` and below by size (so they are not the
 * campaign's own neurons), each answer 4 to 80 supervoxels. Returns the practice tasks (existing ones too).
 */
export async function createPracticeCubes(db: Db, datasetId: string, opts: { count?: number; skip?: number } = {}) {
  const count = opts.count ?? 3;
  const dataset = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw notFound("dataset");
  const existing = await db.task.findMany({ where: { datasetId, kind: "PRACTICE" }, orderBy: { createdAt: "asc" } });
  if (!dataset.hasGroundTruth || existing.length >= count) return existing;
  const volume = await groundTruthBodies(dataset.slug);
  const grid = datasetGrid(dataset);
  const made = [...existing];
  for (const b of volume.bodies.slice(opts.skip ?? 20)) {
    if (made.length >= count) break;
    const seed = seedNear(volume.gt, volume.sv, volume.shape, b.body, b.centroid);
    if (!seed) continue;
    const box = cellBox(grid, cellForPoint(grid, seed)!);
    const [sv, gt] = await Promise.all([loadLabels(dataset.slug, "supervoxels", box), loadLabels(dataset.slug, "ground-truth", box)]);
    const size = { x: box.x1 - box.x0, y: box.y1 - box.y0, z: box.z1 - box.z0 };
    const seedLabel = sv[((seed.z - box.z0) * size.y + (seed.y - box.y0)) * size.x + (seed.x - box.x0)]!;
    const answer = cubeTruth(sv, gt, size, b.body, [seedLabel]).answer;
    if (answer.length < 4 || answer.length > 80) continue;
    const neuron = await startNeuron(db, { datasetId, name: `Practice cube ${made.length + 1}`, seed, gtBodyId: b.body, isPractice: true, color: "#7bd389" });
    made.push(await db.task.update({ where: { id: neuron.tasks[0]!.id }, data: { answer } }));
  }
  return made;
}
