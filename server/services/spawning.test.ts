// Growth on a real database and the ingested sample: a branch that re-enters a grid cell already traced for
// the neuron, but that the cell's traces never reached, gets a follow-up cube of that cell (Task.pass 1);
// a branch the cell's traces already have does not, and nothing is spawned twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cubeTruth } from "@/core/cube-truth";
import { SAMPLE } from "@/server/cli/setup";
import { loadLabels } from "@/server/store/label-cache";
import { readManifest } from "@/server/store/store";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { cubeAdjacency } from "./cube-contents";
import { groundTruthBodies, seedNear } from "./demo-campaign";
import { startNeuron } from "./neurons";
import { registerDatasetIn } from "./register-dataset";
import { spawnNeighbours, type ExitRecord } from "./spawning";

let t: TestDb;
let datasetId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  datasetId = (await registerDatasetIn(t.db, await readManifest(SAMPLE.slug))).datasetId;
});
afterAll(async () => t?.drop());

/** A neuron on the rank-th largest body whose root cube retired with the perfect answer; `spawn` grows from it. */
async function retiredRoot(rank: number, name: string) {
  const v = await groundTruthBodies(SAMPLE.slug);
  const b = v.bodies[rank]!;
  const neuron = await startNeuron(t.db, { datasetId, name, seed: seedNear(v.gt, v.sv, v.shape, b.body, b.centroid)!, gtBodyId: b.body });
  const dataset = await t.db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const root = neuron.tasks[0]!;
  const box = { x0: root.x0, y0: root.y0, z0: root.z0, x1: root.x1, y1: root.y1, z1: root.z1 };
  const [sv, gt] = await Promise.all([loadLabels(SAMPLE.slug, "supervoxels", box), loadLabels(SAMPLE.slug, "ground-truth", box)]);
  const answer = cubeTruth(sv, gt, { x: box.x1 - box.x0, y: box.y1 - box.y0, z: box.z1 - box.z0 }, b.body, root.seeds).answer;
  const retired = await t.db.task.update({ where: { id: root.id }, data: { status: "RETIRED", submissions: 3, consensus: answer } });
  const spawn = (settings: Partial<typeof neuron> = {}) => t.db.$transaction((tx) => spawnNeighbours(tx, retired, { ...neuron, ...settings }, dataset));
  return { neuron, root, answer, spawn };
}

describe("spawning into a cell already traced", () => {
  it("adds a follow-up cube of the cell for a branch its traces never reached, once", async () => {
    const { neuron, root, answer, spawn } = await retiredRoot(0, "re-entry");
    const tasks = () => t.db.task.findMany({ where: { neuronId: neuron.id }, orderBy: [{ createdAt: "asc" }, { pass: "asc" }] });

    const exits = await spawn();
    const first = exits.find((e): e is ExitRecord & { taskId: string } => e.taskId !== null)!;
    expect(first).toBeDefined();
    const cell = await t.db.task.findUniqueOrThrow({ where: { id: first.taskId } });
    expect(cell.pass).toBe(0);
    const count = (await tasks()).length;
    // The same exits again while the neighbours are untraced: nothing new.
    await spawn();
    expect((await tasks()).length).toBe(count);

    const adjacency = await cubeAdjacency(SAMPLE.slug, { x0: cell.x0, y0: cell.y0, z0: cell.z0, x1: cell.x1, y1: cell.y1, z1: cell.z1 });
    const touchesSeeds = (id: number) => cell.seeds.some((s) => s === id || adjacency.get(s)?.has(id));
    // Had the neighbour's players traced around the exit's seeds and left them out, the seeds were judged
    // there: no follow-up.
    const around = [...new Set(cell.seeds.flatMap((s) => [...(adjacency.get(s) ?? [])]))].filter((id) => !cell.seeds.includes(id)).sort((a, b) => a - b);
    expect(around.length).toBeGreaterThan(0);
    await t.db.task.update({ where: { id: cell.id }, data: { status: "RETIRED", submissions: 3, seeds: [around[0]!], consensus: around } });
    await spawn();
    expect((await tasks()).length).toBe(count);

    // The neighbour's players traced another branch of the cell, out of reach of the exit's seeds.
    const other = cell.supervoxelIds.find((id) => !answer.includes(id) && !touchesSeeds(id))!;
    await t.db.task.update({ where: { id: cell.id }, data: { seeds: [other], consensus: [other] } });
    // A neuron limited to one cube per cell gets no follow-up.
    await spawn({ maxCubesPerCell: 1 });
    expect((await tasks()).length).toBe(count);
    const again = await spawn();
    const after = await tasks();
    expect(after.length).toBe(count + 1);
    const followUp = after.find((x) => x.gridX === cell.gridX && x.gridY === cell.gridY && x.gridZ === cell.gridZ && x.pass === 1)!;
    expect(followUp).toBeDefined();
    expect(followUp.status).toBe("OPEN");
    expect(followUp.parentTaskId).toBe(root.id);
    expect(followUp.seeds).toEqual(first.seeds);
    expect([followUp.x0, followUp.y0, followUp.z0, followUp.x1, followUp.y1, followUp.z1]).toEqual([cell.x0, cell.y0, cell.z0, cell.x1, cell.y1, cell.z1]);
    expect(followUp.supervoxelIds).toEqual(cell.supervoxelIds);
    expect(again.find((e) => e.axis === first.axis && e.dir === first.dir)!.taskId).toBe(followUp.id);

    // Untraced, the follow-up takes the branch: no second one.
    await spawn();
    expect((await tasks()).length).toBe(count + 1);
    // Once traced with the branch in its consensus, the cell has it: nothing more.
    await t.db.task.update({ where: { id: followUp.id }, data: { status: "RETIRED", submissions: 3, consensus: followUp.seeds } });
    await spawn();
    expect((await tasks()).length).toBe(count + 1);
  });

  it("spawns no follow-up when the cell's traces already hold the exit's seeds", async () => {
    const { neuron, root, spawn } = await retiredRoot(1, "covered");
    await spawn();
    const spawned = await t.db.task.findMany({ where: { neuronId: neuron.id, parentTaskId: root.id } });
    expect(spawned.length).toBeGreaterThan(0);
    // Every neighbour traced, its consensus holding its seeds (the branch the root handed on).
    for (const x of spawned) await t.db.task.update({ where: { id: x.id }, data: { status: "RETIRED", submissions: 3, consensus: x.seeds } });
    await spawn();
    expect(await t.db.task.count({ where: { neuronId: neuron.id } })).toBe(spawned.length + 1);
    expect(await t.db.task.count({ where: { neuronId: neuron.id, pass: { gt: 0 } } })).toBe(0);
  });
});
