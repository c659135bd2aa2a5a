// The crowd engine through the real API and services on a real database (PGlite, or PostgreSQL when
// DATABASE_URL names one) and the ingested sample: the cube grid, spawning, completion, transactional
// assignment, practice cubes, reviewer overrides, and bad input.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cubeTruth } from "@/core/cube-truth";
import { SAMPLE } from "@/server/cli/setup";
import { loadLabels } from "@/server/store/label-cache";
import { readManifest } from "@/server/store/store";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import type { Actor } from "./actor";
import { groundTruthBodies, seedNear } from "./demo-campaign";
import { startNeuron } from "./neurons";
import { createPracticeCubes } from "./practice";
import { registerDatasetIn } from "./register-dataset";
import { createGuest } from "./users";

const createCaller = createCallerFactory(appRouter);
let t: TestDb;
let datasetId: string;
const api = (actor: Actor | null) => createCaller({ db: t.db, dbKind: t.kind, actor });
type Box = { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number };

/** What a perfect player traces in a cube (ground truth; tests only). */
async function perfectTrace(task: { box: Box; seeds: number[] }, body: number) {
  const b = task.box;
  const [sv, gt] = await Promise.all([loadLabels(SAMPLE.slug, "supervoxels", b), loadLabels(SAMPLE.slug, "ground-truth", b)]);
  return cubeTruth(sv, gt, { x: b.x1 - b.x0, y: b.y1 - b.y0, z: b.z1 - b.z0 }, body, task.seeds).answer;
}

/** A seed point inside the k-th largest ground-truth body. */
async function seedOfBody(rank: number) {
  const v = await groundTruthBodies(SAMPLE.slug);
  const b = v.bodies[rank]!;
  return { body: b.body, seed: seedNear(v.gt, v.sv, v.shape, b.body, b.centroid)! };
}

async function players(n: number) {
  return Promise.all(Array.from({ length: n }, () => createGuest(t.db)));
}

/** Assigns and submits one trace per player for the given task (players must not hold other open tasks). */
async function play(taskId: string, who: Actor[], trace: (i: number) => number[]) {
  const results = [];
  for (let i = 0; i < who.length; i++) {
    const got = await api(who[i]!).task.assign();
    expect(got?.taskId).toBe(taskId);
    results.push(await api(who[i]!).trace.submit({ traceId: randomUUID(), taskId, supervoxels: trace(i) }));
  }
  return results;
}

beforeAll(async () => {
  t = await createTestDatabase();
  datasetId = (await registerDatasetIn(t.db, await readManifest(SAMPLE.slug))).datasetId;
});
afterAll(async () => t?.drop());
// Each test plays its own neurons: none may leave an open cube for the next one.
afterEach(async () => {
  await t.db.neuron.deleteMany({ where: { isPractice: false } });
});

describe("neurons on the cube grid", () => {
  it("starts a neuron in the grid cube that holds its seed most centrally, from a point or from seed supervoxels", async () => {
    const { seed, body } = await seedOfBody(0);
    const a = await startNeuron(t.db, { datasetId, name: "by point", seed, gtBodyId: body });
    const root = a.tasks[0]!;
    expect(root.x1 - root.x0).toBe(96);
    expect([0, 77, 154]).toContain(root.x0);
    expect([root.gridX, root.gridY, root.gridZ].every((g) => g !== null && g >= 0 && g < 3)).toBe(true);
    expect(root.seeds).toHaveLength(1);
    expect(root.supervoxelIds).toContain(root.seeds[0]);
    expect(root.redundancy).toBe(3);

    const b = await startNeuron(t.db, { datasetId, name: "by supervoxel", seedSupervoxels: root.seeds });
    expect(b.tasks[0]!.seeds).toEqual(root.seeds);
    await expect(startNeuron(t.db, { datasetId, name: "nothing" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(startNeuron(t.db, { datasetId, name: "bad", seedSupervoxels: [999_999_999] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await t.db.neuron.deleteMany({ where: { id: { in: [a.id, b.id] } } });
  });

  it("lets only researchers and admins start a neuron through the API", async () => {
    const { seed } = await seedOfBody(1);
    const player = await createGuest(t.db);
    await expect(api(player).neuron.start({ datasetId, name: "x", seed })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const researcher = { ...(await createGuest(t.db)), role: "RESEARCHER" as const };
    const started = await api(researcher).neuron.start({ datasetId, name: "researched", seed, settings: { minPlayers: 2 } });
    expect(started.box.x1 - started.box.x0).toBe(96);
    expect((await t.db.neuron.findUniqueOrThrow({ where: { id: started.id } })).minPlayers).toBe(2);
    await t.db.neuron.delete({ where: { id: started.id } });
  });
});

describe("growth", () => {
  it("spawns neighbour cubes where the consensus leaves the cube, seeded from the overlap, until no exit remains", async () => {
    const { seed, body } = await seedOfBody(0);
    const neuron = await startNeuron(t.db, { datasetId, name: "grower", seed, gtBodyId: body });
    const root = neuron.tasks[0]!;
    const box = { x0: root.x0, y0: root.y0, z0: root.z0, x1: root.x1, y1: root.y1, z1: root.z1 };
    const truth = await perfectTrace({ box, seeds: root.seeds }, body);
    const results = await play(root.id, await players(3), () => truth);
    expect(results.map((r) => r.retired)).toEqual([false, false, true]);
    expect(results[2]!.spawned).toBeGreaterThan(0);

    const retired = await t.db.task.findUniqueOrThrow({ where: { id: root.id } });
    expect(retired.consensus).toEqual(truth);
    const exits = retired.exits as { axis: string; dir: number; voxels: number; taskId: string | null; seeds: number[] }[];
    const children = await t.db.task.findMany({ where: { parentTaskId: root.id } });
    expect(children.length).toBe(results[2]!.spawned);
    for (const child of children) {
      const exit = exits.find((e) => e.taskId === child.id)!;
      expect(exit.voxels).toBeGreaterThanOrEqual(neuron.minExitVoxels);
      // A face neighbour on the grid: one grid step on exactly the exit's axis.
      const step = { x: child.gridX! - root.gridX!, y: child.gridY! - root.gridY!, z: child.gridZ! - root.gridZ! };
      expect(step[exit.axis as "x" | "y" | "z"]).toBe(exit.dir);
      expect(Math.abs(step.x) + Math.abs(step.y) + Math.abs(step.z)).toBe(1);
      // Seeds: consensus supervoxels of the parent, present in the child cube.
      expect(child.seeds.length).toBeGreaterThan(0);
      for (const s of child.seeds) expect(retired.consensus).toContain(s);
      expect(child.supervoxelIds).toEqual(expect.arrayContaining(child.seeds));
      expect(child.status).toBe("OPEN");
    }
    // A spawned cube has no duplicate for its grid cell.
    const cells = (await t.db.task.findMany({ where: { neuronId: neuron.id } })).map((x) => `${x.gridX},${x.gridY},${x.gridZ}`);
    expect(new Set(cells).size).toBe(cells.length);
    expect((await t.db.neuron.findUniqueOrThrow({ where: { id: neuron.id } })).status).toBe("ACTIVE");
    await t.db.neuron.delete({ where: { id: neuron.id } });
  });

  it("completes a neuron when its last cube retires without exits", async () => {
    const { seed, body } = await seedOfBody(2);
    const neuron = await startNeuron(t.db, { datasetId, name: "closed", seed, gtBodyId: body, settings: { minExitVoxels: 1_000_000 } });
    const root = neuron.tasks[0]!;
    const truth = await perfectTrace({ box: root, seeds: root.seeds }, body);
    const results = await play(root.id, await players(3), () => truth);
    expect(results[2]).toMatchObject({ retired: true, spawned: 0, neuronComplete: true });
    const done = await t.db.neuron.findUniqueOrThrow({ where: { id: neuron.id } });
    expect(done.status).toBe("COMPLETE");
    expect(done.completedAt).not.toBeNull();
    await t.db.neuron.delete({ where: { id: neuron.id } });
  });

  it("asks for more players while the cube is unsure, up to the maximum", async () => {
    const { seed, body } = await seedOfBody(3);
    const neuron = await startNeuron(t.db, { datasetId, name: "disputed", seed, gtBodyId: body, settings: { minPlayers: 2, maxPlayers: 3 } });
    const root = neuron.tasks[0]!;
    const truth = await perfectTrace({ box: root, seeds: root.seeds }, body);
    const big = root.supervoxelIds
      .map((id, i) => ({ id, size: root.supervoxelSizes[i]! }))
      .filter((s) => !truth.includes(s.id) && s.size > 20_000)
      .map((s) => s.id);
    expect(big.length).toBeGreaterThan(1);
    // Two new players split over big supervoxels: nobody can be sure, a third player is asked.
    const results = await play(root.id, await players(3), (i) => (i % 2 ? truth : [...truth, ...big]));
    expect(results.map((r) => r.retired)).toEqual([false, false, true]);
    expect(results[1]!.redundancy).toBe(3);
    expect(results[1]!.confidence!).toBeLessThan(neuron.retireConfidence);
  });
});

describe("assignment", () => {
  it("never hands a player the same cube twice, and prefers cubes close to retirement", async () => {
    const a = await startNeuron(t.db, { datasetId, name: "A", ...(await seedOfBody(4)) });
    const b = await startNeuron(t.db, { datasetId, name: "B", ...(await seedOfBody(5)) });
    const [p1, p2] = await players(2);
    const first = (await api(p1!).task.assign())!;
    await api(p1!).trace.submit({ traceId: randomUUID(), taskId: first.taskId, supervoxels: first.seeds });
    // The cube with one trace already is closer to retirement: the next player gets it.
    expect((await api(p2!).task.assign())!.taskId).toBe(first.taskId);
    // Asking again before submitting returns the same unfinished cube, not a new one.
    expect((await api(p2!).task.assign())!.taskId).toBe(first.taskId);
    const next = (await api(p1!).task.assign())!;
    expect(next.taskId).not.toBe(first.taskId);
    await api(p1!).trace.submit({ traceId: randomUUID(), taskId: next.taskId, supervoxels: next.seeds });
    expect(await api(p1!).task.assign()).toBeNull();
    await t.db.neuron.deleteMany({ where: { id: { in: [a.id, b.id] } } });
  });

  it("under concurrency, hands a cube to no more players than it wants", async () => {
    const n = await startNeuron(t.db, { datasetId, name: "popular", ...(await seedOfBody(6)) });
    const crowd = await players(12);
    const got = await Promise.all(crowd.map((p) => api(p).task.assign()));
    const onIt = got.filter((g) => g?.taskId === n.tasks[0]!.id).length;
    expect(onIt).toBe(3);
    expect(got.filter((g) => g === null).length).toBe(9);
    expect(await t.db.assignment.count({ where: { taskId: n.tasks[0]!.id } })).toBe(3);
    await t.db.neuron.delete({ where: { id: n.id } });
  });
});

describe("concurrency and repeats", () => {
  // Fifty players with different noisy traces of one cube (ground truth plus or minus a few supervoxels).
  async function fiftyTraces(box: Box, seeds: number[], body: number, ids: number[]) {
    const truth = await perfectTrace({ box, seeds }, body);
    const others = ids.filter((id) => !truth.includes(id));
    return Array.from({ length: 50 }, (_, i) => {
      const drop = truth.filter((_, k) => (k * 7 + i) % 11 === 0 && !seeds.includes(truth[k]!));
      const add = others.filter((_, k) => (k * 13 + i * 3) % 17 === 0).slice(0, 3 + (i % 4));
      return [...truth.filter((s) => !drop.includes(s)), ...add].sort((a, b) => a - b);
    });
  }

  async function fiftyOnOneCube(db: TestDb, userIds: string[], parallel: boolean) {
    const { datasetId: ds } = await registerDatasetIn(db.db, await readManifest(SAMPLE.slug)).catch(async () => ({
      datasetId: (await db.db.dataset.findUniqueOrThrow({ where: { slug: SAMPLE.slug } })).id,
    }));
    const { seed, body } = await seedOfBody(0);
    const neuron = await startNeuron(db.db, { datasetId: ds, name: "fifty", seed, gtBodyId: body, settings: { minPlayers: 50, maxPlayers: 50, minExitVoxels: 1_000_000 } });
    const task = neuron.tasks[0]!;
    const traces = await fiftyTraces(task, task.seeds, body, task.supervoxelIds);
    const actors: Actor[] = [];
    for (const [i, id] of userIds.entries()) {
      await db.db.user.create({ data: { id, username: `fifty-${i}-${id.slice(0, 6)}`, isGuest: true } });
      actors.push({ userId: id, username: `fifty-${i}`, role: "PLAYER", isGuest: true });
    }
    for (const a of actors) await db.db.assignment.create({ data: { taskId: task.id, userId: a.userId } });
    const caller = (a: Actor) => createCaller({ db: db.db, dbKind: db.kind, actor: a });
    const inputs = actors.map((a, i) => ({ traceId: randomUUID(), taskId: task.id, supervoxels: traces[i]! }));
    const results = parallel
      ? await Promise.all(actors.map((a, i) => caller(a).trace.submit(inputs[i]!)))
      : await (async () => {
          const out = [];
          for (const [i, a] of actors.entries()) out.push(await caller(a).trace.submit(inputs[i]!));
          return out;
        })();
    return { task: await db.db.task.findUniqueOrThrow({ where: { id: task.id } }), results, inputs, actors, caller };
  }

  it(`50 submissions in parallel leave exactly the consensus of the same submissions in sequence (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, async () => {
    const userIds = Array.from({ length: 50 }, () => randomUUID());
    const other = await createTestDatabase();
    try {
      const par = await fiftyOnOneCube(t, userIds, true);
      const seq = await fiftyOnOneCube(other, userIds, false);
      expect(par.task.submissions).toBe(50);
      expect(par.task.status).toBe("RETIRED");
      expect(await t.db.trace.count({ where: { taskId: par.task.id } })).toBe(50);
      expect(par.task.consensus.length).toBeGreaterThan(5);
      expect(par.task.consensus).toEqual(seq.task.consensus);
      expect(par.task.majority).toEqual(seq.task.majority);
      expect(par.task.confidence).toBe(seq.task.confidence);
      // Exactly one submission was first on the cube, and exactly one retired it.
      expect(par.results.filter((r) => r.breakdown.trailblazer > 0)).toHaveLength(1);
      expect(par.results.filter((r) => r.retired)).toHaveLength(1);
      expect(par.results.map((r) => r.submissions).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // The same reliability evidence either way.
      const rel = async (db: TestDb) => (await db.db.reliability.findMany({ where: { userId: { in: userIds } }, orderBy: { userId: "asc" } })).map((r) => [r.userId, r.sensHits, r.specHits, r.thinSensHits, r.accuracySum]);
      expect(await rel(t)).toEqual(await rel(other));

      // Repeating submissions (in parallel too) changes nothing and answers the same.
      const before = await t.db.task.findUniqueOrThrow({ where: { id: par.task.id } });
      const points = await t.db.user.aggregate({ _sum: { points: true } });
      const again = await Promise.all(par.actors.slice(0, 10).flatMap((a, i) => [par.caller(a).trace.submit(par.inputs[i]!), par.caller(a).trace.submit(par.inputs[i]!)]));
      again.forEach((r, k) => expect(r).toEqual(par.results[Math.floor(k / 2)]));
      expect(await t.db.task.findUniqueOrThrow({ where: { id: par.task.id } })).toEqual(before);
      expect(await t.db.user.aggregate({ _sum: { points: true } })).toEqual(points);
      expect(await t.db.trace.count({ where: { taskId: par.task.id } })).toBe(50);
      await t.db.neuron.deleteMany({ where: { name: "fifty" } });
      await t.db.user.deleteMany({ where: { id: { in: userIds } } });
    } finally {
      await other.drop();
    }
  });
});

describe("bad input stores nothing", () => {
  it("rejects supervoxels outside the cube, too many ids, and tasks not assigned to the player", async () => {
    const n = await startNeuron(t.db, { datasetId, name: "strict", ...(await seedOfBody(7)) });
    const [p, q] = await players(2);
    const task = (await api(p!).task.assign())!;
    expect(task.taskId).toBe(n.tasks[0]!.id);
    const snapshot = async () => ({
      traces: await t.db.trace.count(),
      task: await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } }),
      points: (await t.db.user.aggregate({ _sum: { points: true } }))._sum.points,
      reliability: await t.db.reliability.count(),
    });
    const before = await snapshot();
    const outside = 999_999;
    await expect(api(p!).trace.submit({ traceId: randomUUID(), taskId: task.taskId, supervoxels: [...task.seeds, outside] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(new RegExp(`not in this cube: ${outside}`)),
    });
    const tooMany = Array.from({ length: 5001 }, (_, i) => i + 1);
    await expect(api(p!).trace.submit({ traceId: randomUUID(), taskId: task.taskId, supervoxels: tooMany })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at most 5000"),
    });
    await expect(api(q!).trace.submit({ traceId: randomUUID(), taskId: task.taskId, supervoxels: task.seeds })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("not assigned to you"),
    });
    expect(await snapshot()).toEqual(before);
    await t.db.neuron.delete({ where: { id: n.id } });
  });
});

describe("practice cubes", () => {
  it("grades a new player against ground truth, raises their reliability, and never shows the answer", async () => {
    const practice = await createPracticeCubes(t.db, datasetId, { count: 2 });
    expect(practice).toHaveLength(2);
    expect(practice.every((x) => x.kind === "PRACTICE" && x.answer.length >= 4)).toBe(true);
    const [good, bad] = await players(2);
    const first = (await api(good!).task.assign({ practice: true }))!;
    expect(first.practice).toBe(true);
    expect(JSON.stringify(first)).not.toContain('"answer"');
    const answer = practice.find((x) => x.id === first.taskId)!.answer;
    const r = await api(good!).trace.submit({ traceId: randomUUID(), taskId: first.taskId, supervoxels: answer });
    expect(r).toMatchObject({ practice: true, review: null, retired: false });
    expect(r.comparison!.f1).toBe(1);
    const second = (await api(good!).task.assign({ practice: true }))!;
    expect(second.taskId).not.toBe(first.taskId);
    await api(good!).trace.submit({ traceId: randomUUID(), taskId: second.taskId, supervoxels: practice.find((x) => x.id === second.taskId)!.answer });
    expect(await api(good!).task.assign({ practice: true })).toBeNull();

    const sloppy = (await api(bad!).task.assign({ practice: true }))!;
    await api(bad!).trace.submit({ traceId: randomUUID(), taskId: sloppy.taskId, supervoxels: sloppy.seeds });
    const me = await api(good!).me.get();
    const them = await api(bad!).me.get();
    expect(me.practiceCubes).toBe(2);
    expect(me.reliability.sensitivity).toBeGreaterThan(them.reliability.sensitivity);
    expect(me.reliability.majorityWeight).toBeGreaterThan(them.reliability.majorityWeight);
    // Practice cubes never count as campaign cubes and never retire.
    expect((await t.db.task.findUniqueOrThrow({ where: { id: first.taskId } })).status).toBe("OPEN");
    expect(await api(bad!).task.assign()).toBeNull();
  });
});

describe("practice gate", () => {
  it("keeps a player whose practice votes were no better than chance off campaign cubes", async () => {
    const practice = await createPracticeCubes(t.db, datasetId, { count: 2 });
    const { seed, body } = await seedOfBody(9);
    const n = await startNeuron(t.db, { datasetId, name: "gated", seed, gtBodyId: body, settings: { minExitVoxels: 1_000_000 } });
    const [adversary, honest, newcomer] = await players(3);
    // The adversary adds every supervoxel of each practice cube: perfect sensitivity, no specificity.
    for (let k = 0; k < 2; k++) {
      const got = (await api(adversary!).task.assign({ practice: true }))!;
      const all = practice.find((x) => x.id === got.taskId)!.supervoxelIds;
      await api(adversary!).trace.submit({ traceId: randomUUID(), taskId: got.taskId, supervoxels: all });
      const good = (await api(honest!).task.assign({ practice: true }))!;
      await api(honest!).trace.submit({ traceId: randomUUID(), taskId: good.taskId, supervoxels: practice.find((x) => x.id === good.taskId)!.answer });
    }
    expect((await api(adversary!).me.get()).practiceCubes).toBe(2);
    // Every practice cube is played and the campaign cube is open, yet the adversary gets nothing to play.
    expect(await api(adversary!).task.assign()).toBeNull();
    expect(await t.db.assignment.count({ where: { userId: adversary!.userId, task: { kind: "CAMPAIGN" } } })).toBe(0);
    // The honest player, and a newcomer who has not practised yet, get the campaign cube.
    expect((await api(honest!).task.assign())!.taskId).toBe(n.tasks[0]!.id);
    expect((await api(newcomer!).task.assign())!.taskId).toBe(n.tasks[0]!.id);
    await t.db.neuron.delete({ where: { id: n.id } });
  });
});

describe("reviewers", () => {
  it("lets a reviewer override a cube's consensus, with an audit log; players may not", async () => {
    const { seed, body } = await seedOfBody(8);
    const n = await startNeuron(t.db, { datasetId, name: "reviewed", seed, gtBodyId: body, settings: { minExitVoxels: 1_000_000 } });
    const root = n.tasks[0]!;
    const truth = await perfectTrace({ box: root, seeds: root.seeds }, body);
    const [p] = await players(1);
    await play(root.id, [p!], () => truth.slice(0, Math.max(root.seeds.length, truth.length - 2)));
    await expect(api(p!).review.override({ taskId: root.id, supervoxels: truth, reason: "looks wrong" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api(p!).review.audit({})).rejects.toMatchObject({ code: "FORBIDDEN" });

    const reviewer = { ...(await createGuest(t.db)), role: "REVIEWER" as const };
    await expect(api(reviewer).review.override({ taskId: root.id, supervoxels: [999_999], reason: "bad id" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const before = await t.db.task.findUniqueOrThrow({ where: { id: root.id } });
    const out = await api(reviewer).review.override({ taskId: root.id, supervoxels: truth, reason: "the branch continues" });
    expect(out.consensus).toEqual([...new Set([...truth, ...root.seeds])].sort((a, b) => a - b));
    const after = await t.db.task.findUniqueOrThrow({ where: { id: root.id } });
    expect(after).toMatchObject({ status: "RETIRED", overridden: true, consensus: out.consensus });
    const log = await api(reviewer).review.audit({ taskId: root.id });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: "consensus.override", reason: "the branch continues", before: { consensus: before.consensus, status: "OPEN" }, after: { consensus: out.consensus } });
    // The cube is closed: later traces are refused and leave the override alone.
    const [late] = await players(1);
    expect(await api(late!).task.assign()).toBeNull();
  });
});
