// Consensus recomputation (a pg-boss job) on a real database (PGlite, or PostgreSQL when DATABASE_URL names
// one) and the ingested sample: queued when a neuron completes, recomputes retired cubes' consensus with
// the players' current reliabilities, touches nothing else, is idempotent, and runs through the queue.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cubeTruth } from "@/core/cube-truth";
import { chosen } from "@/core/crowd-consensus";
import { SAMPLE } from "@/server/cli/setup";
import { startJobRuntime } from "@/server/jobs/runtime";
import { loadLabels } from "@/server/store/label-cache";
import { readManifest } from "@/server/store/store";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";
import { createTestDatabase, queueTarget, type TestDb } from "@/test-support/db";
import type { Actor } from "./actor";
import { RECOMPUTE_KIND, requestRecompute, runRecomputeJob } from "./consensus-recompute";
import { computeCubeConsensus } from "./cube-consensus";
import { groundTruthBodies, seedNear } from "./demo-campaign";
import { startNeuron } from "./neurons";
import { registerDatasetIn } from "./register-dataset";
import { createGuest } from "./users";

const createCaller = createCallerFactory(appRouter);
let t: TestDb;
let datasetId: string;
const api = (actor: Actor) => createCaller({ db: t.db, dbKind: t.kind, actor });
type Box = { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number };

async function perfectTrace(box: Box, seeds: number[], body: number) {
  const [sv, gt] = await Promise.all([loadLabels(SAMPLE.slug, "supervoxels", box), loadLabels(SAMPLE.slug, "ground-truth", box)]);
  return cubeTruth(sv, gt, { x: box.x1 - box.x0, y: box.y1 - box.y0, z: box.z1 - box.z0 }, body, seeds).answer;
}

async function seedOfBody(rank: number) {
  const v = await groundTruthBodies(SAMPLE.slug);
  const b = v.bodies[rank]!;
  return { body: b.body, seed: seedNear(v.gt, v.sv, v.shape, b.body, b.centroid)! };
}

/** What the job must leave untouched: everything but the consensus columns, and every other table's rows. */
async function untouched(neuronId: string) {
  const tasks = await t.db.task.findMany({ where: { neuronId }, orderBy: { id: "asc" } });
  return {
    tasks: tasks.map(({ consensus: _c, majority: _m, confidence: _f, ...rest }) => rest),
    neuron: await t.db.neuron.findUniqueOrThrow({ where: { id: neuronId } }),
    reliabilities: await t.db.reliability.findMany({ orderBy: { userId: "asc" } }),
    traces: await t.db.trace.findMany({ orderBy: { id: "asc" } }),
  };
}

const consensusOf = async (neuronId: string) =>
  (await t.db.task.findMany({ where: { neuronId }, orderBy: { id: "asc" }, select: { id: true, consensus: true, majority: true, confidence: true } }));

beforeAll(async () => {
  t = await createTestDatabase();
  datasetId = (await registerDatasetIn(t.db, await readManifest(SAMPLE.slug))).datasetId;
});
afterAll(async () => t?.drop());

describe("consensus recomputation", () => {
  it("is queued when a neuron completes; recomputes with current reliabilities; changes nothing else; twice = once", async () => {
    const { seed, body } = await seedOfBody(3);
    const neuron = await startNeuron(t.db, { datasetId, name: "recomputed", seed, gtBodyId: body, settings: { minPlayers: 3, maxPlayers: 3, minExitVoxels: 1_000_000 } });
    const root = neuron.tasks[0]!;
    const truth = await perfectTrace(root, root.seeds, body);
    const big = root.supervoxelIds.filter((id, i) => !truth.includes(id) && root.supervoxelSizes[i]! > 20_000);
    expect(big.length).toBeGreaterThan(1);
    // Two careless players add big wrong supervoxels, one careful player traces the truth.
    const crowd = await Promise.all([createGuest(t.db), createGuest(t.db), createGuest(t.db)]);
    const traces = [[...truth, ...big], truth, [...truth, ...big]];
    const results = [];
    for (let i = 0; i < 3; i++) {
      expect((await api(crowd[i]!).task.assign())?.taskId).toBe(root.id);
      results.push(await api(crowd[i]!).trace.submit({ traceId: randomUUID(), taskId: root.id, supervoxels: traces[i]! }));
    }
    expect(results[2]).toMatchObject({ retired: true, neuronComplete: true });
    // The completing transaction wrote the job's row (the outbox): nothing is lost if no queue runs here.
    const jobs = await t.db.job.findMany({ where: { kind: RECOMPUTE_KIND } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "QUEUED", payload: { neuronId: neuron.id }, attempts: 0 });

    // Later cubes proved the careful player right and the careless ones wrong.
    const strong = { sensHits: 5000, sensTotal: 5000, specHits: 5000, specTotal: 5000, thinSensHits: 5000, thinSensTotal: 5000, thinSpecHits: 5000, thinSpecTotal: 5000, accuracySum: 100, accuracyCount: 100, campaignCubes: 100 };
    const weak = { sensHits: 5000, sensTotal: 5000, specHits: 500, specTotal: 5000, thinSensHits: 5000, thinSensTotal: 5000, thinSpecHits: 500, thinSpecTotal: 5000, accuracySum: 30, accuracyCount: 100, campaignCubes: 100 };
    for (const [i, p] of crowd.entries()) await t.db.reliability.update({ where: { userId: p.userId }, data: i === 1 ? strong : weak });

    const before = await consensusOf(neuron.id);
    const fixed = await untouched(neuron.id);
    await runRecomputeJob(t.db, jobs[0]!.id);
    const job = await t.db.job.findUniqueOrThrow({ where: { id: jobs[0]!.id } });
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1, result: { neurons: 1, cubes: 1, changed: 1 }, done: 1, total: 1 });

    const after = await consensusOf(neuron.id);
    expect(after).not.toEqual(before);
    // Exactly what the consensus of the stored traces with today's reliabilities is.
    const task = await t.db.task.findUniqueOrThrow({ where: { id: root.id } });
    const votes = await t.db.$transaction((tx) => computeCubeConsensus(tx, task, SAMPLE.slug));
    expect(task.consensus).toEqual(chosen(votes.result, neuron.consensusMethod).supervoxels);
    expect(task.confidence).toBe(chosen(votes.result, neuron.consensusMethod).confidence);
    expect(task.majority).toEqual(votes.result.majority.supervoxels);
    // The careful player's trace now decides: the big wrong supervoxels are out.
    for (const id of big) expect(task.consensus).not.toContain(id);
    expect(await untouched(neuron.id)).toEqual(fixed);

    // Again, for the whole dataset (another job): nothing changes.
    const again = await requestRecompute(t.db, { datasetId });
    await runRecomputeJob(t.db, again);
    expect(await t.db.job.findUniqueOrThrow({ where: { id: again } })).toMatchObject({ status: "SUCCEEDED", result: { changed: 0 } });
    expect(await consensusOf(neuron.id)).toEqual(after);
    expect(await untouched(neuron.id)).toEqual(fixed);
    // A finished job delivered twice (a late duplicate) does nothing.
    await runRecomputeJob(t.db, again);
    expect(await t.db.job.findUniqueOrThrow({ where: { id: again } })).toMatchObject({ status: "SUCCEEDED", attempts: 1 });

    // A reviewer's hand-set consensus is kept.
    await t.db.task.update({ where: { id: root.id }, data: { overridden: true, consensus: truth.slice(0, 1) } });
    const third = await requestRecompute(t.db, { neuronId: neuron.id });
    await runRecomputeJob(t.db, third);
    expect((await t.db.task.findUniqueOrThrow({ where: { id: root.id } })).consensus).toEqual(truth.slice(0, 1));
    await t.db.task.update({ where: { id: root.id }, data: { overridden: false, consensus: after[0]!.consensus } });
  });

  it("runs through the queue (pg-boss on the same database) on any instance", async () => {
    const neuron = await t.db.neuron.findFirstOrThrow({ where: { name: "recomputed" } });
    await t.db.task.updateMany({ where: { neuronId: neuron.id }, data: { consensus: [], confidence: null } });
    const runtime = await startJobRuntime(
      t,
      { [RECOMPUTE_KIND]: (id) => runRecomputeJob(t.db, id) },
      { pollingIntervalSeconds: 0.5, ...(await queueTarget(t)) },
    );
    try {
      const id = await requestRecompute(t.db, { neuronId: neuron.id });
      let job = await t.db.job.findUniqueOrThrow({ where: { id } });
      for (let i = 0; i < 200 && job.status !== "SUCCEEDED" && job.status !== "FAILED"; i++) {
        await new Promise((r) => setTimeout(r, 200));
        job = await t.db.job.findUniqueOrThrow({ where: { id } });
      }
      expect(job, job.error ?? "").toMatchObject({ status: "SUCCEEDED", result: { cubes: 1, changed: 1 } });
      expect((await t.db.task.findFirstOrThrow({ where: { neuronId: neuron.id } })).consensus.length).toBeGreaterThan(0);
    } finally {
      await runtime.stop();
    }
  }, 120_000);
});
