// Neurons: starting one from a seed point, reading one, and its consensus reconstruction.
import type { Db } from "@/server/db/client";
import { cubeAround, type Box, type Vec3 } from "@/core/volume";
import { statsInBox } from "@/core/label-volume";
import { loadLabelBox, readManifest } from "@/server/store/store";
import { badInput, notFound } from "./errors";

export const DEFAULT_CUBE_SIZE = 128;
export const DEFAULT_REDUNDANCY = 3;

const palette = ["#ff5a36", "#2ec4b6", "#ffbf00", "#9b5de5", "#00bbf9", "#f15bb5", "#7bd389", "#fe9000"];

/** Creates a neuron and its root task: a cube around the seed point, seeded with the supervoxel under it. */
export async function startNeuron(
  db: Db,
  input: { datasetId: string; name: string; seed: Vec3; gtBodyId?: number; cubeSize?: number; redundancy?: number; color?: string },
) {
  const dataset = await db.dataset.findUnique({ where: { id: input.datasetId } });
  if (!dataset) throw notFound("dataset");
  const shape = { x: dataset.width, y: dataset.height, z: dataset.depth };
  const { x, y, z } = input.seed;
  if (![x, y, z].every(Number.isInteger) || x < 0 || y < 0 || z < 0 || x >= shape.x || y >= shape.y || z >= shape.z) {
    throw badInput(`seed (${x}, ${y}, ${z}) is outside the volume ${shape.x}×${shape.y}×${shape.z}`);
  }
  const box = cubeAround(input.seed, input.cubeSize ?? DEFAULT_CUBE_SIZE, shape);
  const task = await taskContents(dataset.slug, box);
  const seedLabel = task.labelAt(x - box.x0, y - box.y0, z - box.z0);
  if (seedLabel === 0) throw badInput(`no supervoxel at seed (${x}, ${y}, ${z})`);
  const count = await db.neuron.count({ where: { datasetId: dataset.id } });
  return db.neuron.create({
    data: {
      datasetId: dataset.id,
      name: input.name,
      color: input.color ?? palette[count % palette.length]!,
      gtBodyId: input.gtBodyId ?? null,
      seedX: x,
      seedY: y,
      seedZ: z,
      tasks: {
        create: {
          datasetId: dataset.id,
          ...box,
          seeds: [seedLabel],
          supervoxelIds: task.ids,
          supervoxelSizes: task.sizes,
          redundancy: input.redundancy ?? DEFAULT_REDUNDANCY,
        },
      },
    },
    include: { tasks: true },
  });
}

async function taskContents(slug: string, box: Box) {
  const manifest = await readManifest(slug);
  const labels = await loadLabelBox(slug, "supervoxels", box, manifest);
  const size = { x: box.x1 - box.x0, y: box.y1 - box.y0, z: box.z1 - box.z0 };
  const stats = statsInBox(labels, size, { x0: 0, y0: 0, z0: 0, x1: size.x, y1: size.y, z1: size.z });
  return {
    ids: Array.from(stats.ids),
    sizes: Array.from(stats.sizes),
    labelAt: (lx: number, ly: number, lz: number) => labels[(lz * size.y + ly) * size.x + lx] ?? 0,
  };
}

export async function getNeuron(db: Db, id: string) {
  const neuron = await db.neuron.findUnique({
    where: { id },
    include: {
      dataset: { select: { id: true, name: true, license: true, attribution: true, voxelSizeX: true, voxelSizeY: true, voxelSizeZ: true } },
      tasks: { orderBy: { createdAt: "asc" }, select: { id: true, x0: true, y0: true, z0: true, x1: true, y1: true, z1: true, status: true, submissions: true, redundancy: true, consensus: true } },
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
    })),
  };
}

export async function listNeurons(db: Db) {
  const neurons = await db.neuron.findMany({
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
