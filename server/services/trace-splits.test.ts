// Splits travel with a trace: trace.submit takes an optional `splits` array, checks it with
// core/trace-splits.ts and stores it on the trace row; without splits nothing changes. Real database
// (PGlite, or PostgreSQL when DATABASE_URL names one) and the ingested sample volume.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE } from "@/server/cli/setup";
import { readManifest } from "@/server/store/store";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import type { Actor } from "./actor";
import { seedDemoCampaign } from "./demo-campaign";
import { registerDatasetIn } from "./register-dataset";
import { createGuest } from "./users";

const createCaller = createCallerFactory(appRouter);
let t: TestDb;
const caller = (actor: Actor | null) => createCaller({ db: t.db, dbKind: t.kind, actor });

beforeAll(async () => {
  t = await createTestDatabase();
  const { datasetId } = await registerDatasetIn(t.db, await readManifest(SAMPLE.slug));
  await seedDemoCampaign(t.db, datasetId);
});
afterAll(async () => t?.drop());

async function playerWithTask() {
  const actor = await createGuest(t.db);
  const task = (await caller(actor).task.assign())!;
  expect(task).not.toBeNull();
  return { actor, task };
}

function splitOf(task: { box: { x0: number; y0: number; z0: number }; seeds: number[] }) {
  const { x0, y0, z0 } = task.box;
  return { supervoxel: task.seeds[0]!, zFrom: z0 + 10, zTo: z0 + 14, keep: { x: x0 + 5, y: y0 + 5, z: z0 + 12 }, drop: { x: x0 + 40, y: y0 + 5, z: z0 + 12 }, threshold: 0.5, keepVoxels: 900, dropVoxels: 300 };
}

describe("trace.submit with splits", () => {
  it("stores the splits with the trace", async () => {
    const { actor, task } = await playerWithTask();
    const split = splitOf(task);
    const traceId = randomUUID();
    await caller(actor).trace.submit({ traceId, taskId: task.taskId, supervoxels: task.seeds, splits: [split] });
    const row = await t.db.trace.findUniqueOrThrow({ where: { id: traceId } });
    expect(row.splits).toEqual([split]);
  });

  it("stores nothing when there are none (older clients send no field)", async () => {
    const { actor, task } = await playerWithTask();
    const traceId = randomUUID();
    await caller(actor).trace.submit({ traceId, taskId: task.taskId, supervoxels: task.seeds });
    expect((await t.db.trace.findUniqueOrThrow({ where: { id: traceId } })).splits).toBeNull();
  });

  it("refuses a split of a supervoxel the trace does not select, or outside the cube, and stores no trace", async () => {
    const { actor, task } = await playerWithTask();
    const notSelected = { ...splitOf(task), supervoxel: task.seeds[0]! + 100_000 };
    const traceId = randomUUID();
    await expect(caller(actor).trace.submit({ traceId, taskId: task.taskId, supervoxels: task.seeds, splits: [notSelected] })).rejects.toThrow(/not in the trace/);
    const outside = { ...splitOf(task), zTo: task.box.z1 + 3 };
    await expect(caller(actor).trace.submit({ traceId, taskId: task.taskId, supervoxels: task.seeds, splits: [outside] })).rejects.toThrow(/not inside the cube/);
    await expect(caller(actor).trace.submit({ traceId, taskId: task.taskId, supervoxels: task.seeds, splits: [{ ...splitOf(task), threshold: 2 }] })).rejects.toThrow();
    expect(await t.db.trace.findUnique({ where: { id: traceId } })).toBeNull();
  });
});
