// The foundation's flow through the real services on a real database (PGlite, or PostgreSQL when
// DATABASE_URL names one) and the real ingested sample volume.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSwc, validateSwc } from "@/core/swc";
import { readManifest, loadLabelBox } from "@/server/store/store";
import { appRouter } from "@/server/trpc/router";
import { createCallerFactory } from "@/server/trpc/init";
import { SAMPLE } from "@/server/cli/setup";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import type { Actor } from "./actor";
import { seedDemoCampaign } from "./demo-campaign";
import { registerDatasetIn } from "./register-dataset";
import { exportNeuron } from "@/server/export/export-neuron";
import { createGuest, signUp } from "./users";

const createCaller = createCallerFactory(appRouter);
let t: TestDb;
let datasetId: string;

const caller = (actor: Actor | null) => createCaller({ db: t.db, dbKind: t.kind, actor });

/** Supervoxels of the task whose voxels inside the cube mostly belong to the given ground-truth body. */
async function groundTruthTrace(task: { box: { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number } }, body: number) {
  const sv = await loadLabelBox(SAMPLE.slug, "supervoxels", task.box);
  const gt = await loadLabelBox(SAMPLE.slug, "ground-truth", task.box);
  const inBody = new Map<number, number>();
  const total = new Map<number, number>();
  for (let i = 0; i < sv.length; i++) {
    const s = sv[i]!;
    if (s === 0) continue;
    total.set(s, (total.get(s) ?? 0) + 1);
    if (gt[i] === body) inBody.set(s, (inBody.get(s) ?? 0) + 1);
  }
  return [...total].filter(([s, n]) => (inBody.get(s) ?? 0) * 2 > n).map(([s]) => s).sort((a, b) => a - b);
}

beforeAll(async () => {
  t = await createTestDatabase();
  datasetId = (await registerDatasetIn(t.db, await readManifest(SAMPLE.slug))).datasetId;
  const neurons = await seedDemoCampaign(t.db, datasetId);
  expect(neurons.length).toBe(4);
});
afterAll(async () => t?.drop());

describe("demo campaign", () => {
  it("seeds each neuron inside its ground-truth body, with the seed supervoxel in the cube", async () => {
    const neurons = await t.db.neuron.findMany({ include: { tasks: true } });
    const manifest = await readManifest(SAMPLE.slug);
    const gt = await loadLabelBox(SAMPLE.slug, "ground-truth", { x0: 0, y0: 0, z0: 0, x1: 250, y1: 250, z1: 250 }, manifest);
    for (const n of neurons) {
      expect(gt[(n.seedZ * 250 + n.seedY) * 250 + n.seedX]).toBe(n.gtBodyId);
      const task = n.tasks[0]!;
      expect(task.x1 - task.x0).toBe(96);
      expect(task.supervoxelIds).toEqual(expect.arrayContaining(task.seeds));
    }
  });
});

describe("three players trace one cube", () => {
  it("gives all three the same cube, stores traces, retires it by majority, and exports a valid SWC", async () => {
    const players = await Promise.all([createGuest(t.db), createGuest(t.db), createGuest(t.db)]);
    const tasks = [];
    for (const p of players) tasks.push(await caller(p).task.assign());
    const task = tasks[0]!;
    expect(task).not.toBeNull();
    expect(tasks.map((x) => x!.taskId)).toEqual([task!.taskId, task!.taskId, task!.taskId]);

    const neuron = await t.db.neuron.findUniqueOrThrow({ where: { id: task!.neuronId } });
    const truth = await groundTruthTrace(task!, neuron.gtBodyId!);
    expect(truth.length).toBeGreaterThan(3);
    const noise = (await t.db.task.findUniqueOrThrow({ where: { id: task!.taskId } })).supervoxelIds.filter((s) => !truth.includes(s));
    // Player 1 is right, player 2 misses one, player 3 adds a wrong one: the majority is the truth.
    const traces = [truth, truth.slice(1), [...truth, noise[0]!]];
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await caller(players[i]!).trace.submit({ traceId: randomUUID(), taskId: task!.taskId, supervoxels: traces[i]! }));
    }
    expect(results[0]!.comparison).toBeNull();
    expect(results[0]!.breakdown.trailblazer).toBe(50);
    expect(results[1]!.comparison!.f1).toBeGreaterThan(0.5);
    expect(results[2]!.retired).toBe(true);
    const stored = await t.db.task.findUniqueOrThrow({ where: { id: task!.taskId } });
    expect(stored.status).toBe("RETIRED");
    expect(stored.consensus).toEqual([...new Set([...truth, ...task!.seeds])].sort((a, b) => a - b));
    const p1 = await t.db.user.findUniqueOrThrow({ where: { id: players[0]!.userId } });
    expect(p1.points).toBe(results[0]!.points);

    // A fourth player gets another neuron's cube, never the retired one.
    const fourth = await caller(await createGuest(t.db)).task.assign();
    expect(fourth!.taskId).not.toBe(task!.taskId);

    const [file] = await exportNeuron(t.db, task!.neuronId, "swc");
    const swc = String(file!.data);
    const parsed = parseSwc(swc);
    expect(validateSwc(parsed)).toEqual([]);
    expect(parsed.nodes.length).toBeGreaterThan(5);
    expect(parsed.nodes[0]!.parent).toBe(-1);
    // µm: the 250-voxel volume at 10 nm spans 2.5 µm; every node lies inside the task cube.
    const b = task!.box;
    for (const n of parsed.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(b.x0 * 0.01 - 1e-6);
      expect(n.x).toBeLessThanOrEqual(b.x1 * 0.01 + 1e-6);
      expect(n.z).toBeGreaterThanOrEqual(b.z0 * 0.01 - 1e-6);
      expect(n.z).toBeLessThanOrEqual(b.z1 * 0.01 + 1e-6);
      expect(n.radius).toBeGreaterThan(0);
      expect(n.radius).toBeLessThan(1);
    }
    expect(swc).toContain("CC BY 3.0");
  });

  it("stores a repeated submit once and answers it the same", async () => {
    const p = await createGuest(t.db);
    const task = (await caller(p).task.assign())!;
    const input = { traceId: randomUUID(), taskId: task.taskId, supervoxels: task.seeds };
    const a = await caller(p).trace.submit(input);
    const b = await caller(p).trace.submit(input);
    const [c, d] = await Promise.all([caller(p).trace.submit(input), caller(p).trace.submit(input)]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(d).toEqual(a);
    expect(await t.db.trace.count({ where: { id: input.traceId } })).toBe(1);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: p.userId } })).points).toBe(a.points);
    expect((await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } })).submissions).toBe(a.submissions);
  });
});

describe("bad input changes nothing", () => {
  async function snapshot() {
    const [traces, tasks, users, points] = await Promise.all([
      t.db.trace.count(),
      t.db.task.findMany({ orderBy: { id: "asc" }, select: { id: true, submissions: true, consensus: true, status: true } }),
      t.db.user.count(),
      t.db.user.aggregate({ _sum: { points: true } }),
    ]);
    return { traces, tasks, users, points: points._sum.points };
  }

  it("rejects supervoxels outside the task, malformed ids, unknown and unassigned tasks, short passwords", async () => {
    const p = await createGuest(t.db);
    const task = (await caller(p).task.assign())!;
    const other = await t.db.task.findFirstOrThrow({ where: { id: { not: task.taskId }, status: "OPEN" } });
    const inTask = new Set((await t.db.task.findUniqueOrThrow({ where: { id: task.taskId } })).supervoxelIds);
    const notInTask = [...other.supervoxelIds, 999_999].find((s) => !inTask.has(s))!;
    const before = await snapshot();
    const api = caller(p);

    await expect(api.trace.submit({ traceId: randomUUID(), taskId: task.taskId, supervoxels: [...task.seeds, notInTask] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining(String(notInTask)),
    });
    await expect(api.trace.submit({ traceId: "not-a-uuid", taskId: task.taskId, supervoxels: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.trace.submit({ traceId: randomUUID(), taskId: task.taskId, supervoxels: [1.5] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.trace.submit({ traceId: randomUUID(), taskId: randomUUID(), supervoxels: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.trace.submit({ traceId: randomUUID(), taskId: other.id, supervoxels: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller(null).task.assign()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(caller(null).auth.signUp({ username: "shorty", password: "1234567" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at least 10"),
    });
    await expect(caller(null).neuron.get({ id: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await snapshot()).toEqual(before);
  });
});

describe("accounts", () => {
  it("signs up, refuses a taken name, and keeps a guest's progress when the guest signs up", async () => {
    const a = await signUp(t.db, { username: "ada", password: "correct horse" }, null);
    expect(a.isGuest).toBe(false);
    await expect(signUp(t.db, { username: "ADA", password: "another pass" }, null)).rejects.toMatchObject({ code: "CONFLICT" });
    const user = await t.db.user.findUniqueOrThrow({ where: { id: a.userId } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);

    const guest = await createGuest(t.db);
    const task = (await caller(guest).task.assign())!;
    const r = await caller(guest).trace.submit({ traceId: randomUUID(), taskId: task.taskId, supervoxels: task.seeds });
    const upgraded = await signUp(t.db, { username: "grace", password: "hopper1906" }, guest);
    expect(upgraded.userId).toBe(guest.userId);
    const me = await caller(upgraded).me.get();
    expect(me).toMatchObject({ username: "grace", isGuest: false, points: r.points, cubes: 1 });
  });
});
