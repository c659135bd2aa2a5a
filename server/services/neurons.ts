// Neurons: starting one from a seed point or seed supervoxels (its root task is the grid cube that holds the
// seed most centrally), reading one, and listing them.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/server/db/client";
import type { ConsensusMethod } from "@/server/db/generated/enums";
import { cellBox, cellForPoint } from "@/core/cube-grid";
import type { Vec3 } from "@/core/volume";
import { datasetDir } from "@/server/store/store";
import { badInput, notFound } from "./errors";
import { cubeContents, datasetGrid } from "./cube-contents";

const palette = ["#ff5a36", "#2ec4b6", "#ffbf00", "#9b5de5", "#00bbf9", "#f15bb5", "#7bd389", "#fe9000"];

export type NeuronSettings = { consensusMethod: ConsensusMethod; minPlayers: number; maxPlayers: number; retireConfidence: number; minExitVoxels: number };
export const DEFAULT_SETTINGS: NeuronSettings = { consensusMethod: "DAWID_SKENE", minPlayers: 3, maxPlayers: 6, retireConfidence: 0.95, minExitVoxels: 30 };

export type StartNeuronInput = {
  datasetId: string;
  name: string;
  /** A voxel inside the neuron: its supervoxel becomes a seed. */
  seed?: Vec3;
  /** Seed supervoxel ids (with or without a seed point); all must lie in the root cube. */
  seedSupervoxels?: number[];
  gtBodyId?: number;
  color?: string;
  settings?: Partial<NeuronSettings>;
  isPractice?: boolean;
  /** The researcher campaign it belongs to (its cubes are played once the campaign is published). */
  campaignId?: string;
};

/** Creates a neuron and its root task. */
export async function startNeuron(db: Db, input: StartNeuronInput) {
  const dataset = await db.dataset.findUnique({ where: { id: input.datasetId } });
  if (!dataset) throw notFound("dataset");
  const settings = { ...DEFAULT_SETTINGS, ...input.settings };
  if (!(settings.minPlayers >= 1 && settings.maxPlayers >= settings.minPlayers)) throw badInput("players: need 1 <= minPlayers <= maxPlayers");
  const shape = { x: dataset.width, y: dataset.height, z: dataset.depth };
  const extra = [...new Set(input.seedSupervoxels ?? [])];
  let point = input.seed;
  if (!point) {
    if (extra.length === 0) throw badInput("give a seed point or seed supervoxels");
    point = await supervoxelCentroid(dataset.slug, extra);
  }
  const { x, y, z } = point;
  if (![x, y, z].every(Number.isInteger) || x < 0 || y < 0 || z < 0 || x >= shape.x || y >= shape.y || z >= shape.z) {
    throw badInput(`seed (${x}, ${y}, ${z}) is outside the volume ${shape.x}×${shape.y}×${shape.z}`);
  }
  const grid = datasetGrid(dataset);
  const cell = cellForPoint(grid, point)!;
  const box = cellBox(grid, cell);
  const cube = await cubeContents(dataset.slug, box);
  const seeds = new Set(extra);
  if (input.seed) {
    const label = cube.labels[((z - box.z0) * cube.size.y + (y - box.y0)) * cube.size.x + (x - box.x0)] ?? 0;
    if (label === 0) throw badInput(`no supervoxel at seed (${x}, ${y}, ${z})`);
    seeds.add(label);
  }
  const inCube = new Set(cube.ids);
  const outside = [...seeds].filter((s) => !inCube.has(s));
  if (outside.length) throw badInput(`seed supervoxel(s) ${outside.slice(0, 5).join(", ")} are not in the root cube`);
  const count = await db.neuron.count({ where: { datasetId: dataset.id } });
  const seedList = [...seeds].sort((a, b) => a - b);
  return db.neuron.create({
    data: {
      datasetId: dataset.id,
      name: input.name,
      color: input.color ?? palette[count % palette.length]!,
      gtBodyId: input.gtBodyId ?? null,
      seedX: x,
      seedY: y,
      seedZ: z,
      seeds: seedList,
      isPractice: input.isPractice ?? false,
      campaignId: input.campaignId ?? null,
      ...settings,
      tasks: {
        create: {
          datasetId: dataset.id,
          kind: input.isPractice ? "PRACTICE" : "CAMPAIGN",
          gridX: cell.gx,
          gridY: cell.gy,
          gridZ: cell.gz,
          ...box,
          seeds: seedList,
          supervoxelIds: cube.ids,
          supervoxelSizes: cube.sizes,
          redundancy: settings.minPlayers,
          maxPlayers: settings.maxPlayers,
        },
      },
    },
    include: { tasks: true },
  });
}

/** The rounded centroid of the biggest of these supervoxels (from the ingest's supervoxels.json). */
async function supervoxelCentroid(slug: string, ids: number[]): Promise<Vec3> {
  const stats = JSON.parse(await readFile(path.join(datasetDir(slug), "supervoxels.json"), "utf8")) as { ids: number[]; sizes: number[]; centroids: number[] };
  const at = new Map(stats.ids.map((id, k) => [id, k]));
  const known = ids.filter((id) => at.has(id));
  if (known.length < ids.length) throw badInput(`unknown supervoxel(s): ${ids.filter((id) => !at.has(id)).slice(0, 5).join(", ")}`);
  const k = known.map((id) => at.get(id)!).sort((a, b) => stats.sizes[b]! - stats.sizes[a]!)[0]!;
  return { x: Math.round(stats.centroids[3 * k]!), y: Math.round(stats.centroids[3 * k + 1]!), z: Math.round(stats.centroids[3 * k + 2]!) };
}

export async function getNeuron(db: Db, id: string) {
  const neuron = await db.neuron.findUnique({
    where: { id },
    include: {
      dataset: { select: { id: true, name: true, license: true, attribution: true, voxelSizeX: true, voxelSizeY: true, voxelSizeZ: true } },
      tasks: {
        orderBy: { createdAt: "asc" },
        select: { id: true, x0: true, y0: true, z0: true, x1: true, y1: true, z1: true, status: true, submissions: true, redundancy: true, consensus: true, confidence: true, parentTaskId: true, overridden: true },
      },
    },
  });
  if (!neuron) throw notFound("neuron");
  return {
    id: neuron.id,
    name: neuron.name,
    color: neuron.color,
    status: neuron.status,
    seed: { x: neuron.seedX, y: neuron.seedY, z: neuron.seedZ },
    dataset: neuron.dataset,
    tasks: neuron.tasks.map((t) => ({
      id: t.id,
      box: { x0: t.x0, y0: t.y0, z0: t.z0, x1: t.x1, y1: t.y1, z1: t.z1 },
      status: t.status,
      submissions: t.submissions,
      redundancy: t.redundancy,
      consensusSupervoxels: t.consensus.length,
      confidence: t.confidence,
      parentTaskId: t.parentTaskId,
      overridden: t.overridden,
    })),
    consensusMethod: neuron.consensusMethod,
    completedAt: neuron.completedAt,
  };
}

export async function listNeurons(db: Db) {
  const neurons = await db.neuron.findMany({
    where: { isPractice: false },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, color: true, status: true, dataset: { select: { name: true } }, tasks: { select: { status: true, submissions: true } } },
  });
  return neurons.map((n) => ({
    id: n.id,
    name: n.name,
    color: n.color,
    status: n.status,
    datasetName: n.dataset.name,
    tasks: n.tasks.length,
    retiredTasks: n.tasks.filter((t) => t.status === "RETIRED").length,
    submissions: n.tasks.reduce((s, t) => s + t.submissions, 0),
  }));
}
