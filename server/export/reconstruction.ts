// A neuron's consensus reconstruction as a voxel mask over the union of its retired cubes: the one
// place that turns cube consensus (supervoxel ids per cube) into voxels, shared by every export.
import type { Db } from "@/server/db/client";
import type { Box, Vec3 } from "@/core/volume";
import { loadLabelBox } from "@/server/store/store";
import { conflict, notFound } from "@/server/services/errors";

export type CubeConsensus = { box: Box; consensus: number[] };

export function unionBox(boxes: Box[]): Box {
  return boxes.reduce((u, b) => ({
    x0: Math.min(u.x0, b.x0), y0: Math.min(u.y0, b.y0), z0: Math.min(u.z0, b.z0),
    x1: Math.max(u.x1, b.x1), y1: Math.max(u.y1, b.y1), z1: Math.max(u.z1, b.z1),
  }));
}

/** Marks the voxels of each cube's consensus supervoxels, inside that cube only. */
export function consensusMask(labels: Uint32Array, region: Box, cubes: CubeConsensus[]): Uint8Array {
  const sx = region.x1 - region.x0, sy = region.y1 - region.y0;
  const mask = new Uint8Array(labels.length);
  for (const cube of cubes) {
    const keep = new Set(cube.consensus);
    for (let z = cube.box.z0; z < cube.box.z1; z++) {
      for (let y = cube.box.y0; y < cube.box.y1; y++) {
        let i = ((z - region.z0) * sy + (y - region.y0)) * sx + (cube.box.x0 - region.x0);
        for (let x = cube.box.x0; x < cube.box.x1; x++, i++) {
          if (keep.has(labels[i]!)) mask[i] = 1;
        }
      }
    }
  }
  return mask;
}

async function loadNeuron(db: Db, neuronId: string) {
  const neuron = await db.neuron.findUnique({
    where: { id: neuronId },
    include: { dataset: true, tasks: { where: { status: "RETIRED" }, orderBy: { createdAt: "asc" } } },
  });
  if (!neuron) throw notFound("neuron");
  return neuron;
}
export type NeuronWithCubes = Awaited<ReturnType<typeof loadNeuron>>;

export type Reconstruction = {
  neuron: NeuronWithCubes;
  cubes: CubeConsensus[];
  /** The union of the cubes with consensus, in dataset voxels. */
  region: Box;
  shape: Vec3;
  /** 1 = consensus voxel, z,y,x C order over `region`. */
  mask: Uint8Array;
  /** The seed relative to the region when it lies in the mask (the skeleton's root), else null. */
  root: Vec3 | null;
  voxelSize: Vec3;
};

/** Throws NOT_FOUND for an unknown neuron, CONFLICT when no cube of it has a consensus yet. */
export async function loadReconstruction(db: Db, neuronId: string): Promise<Reconstruction> {
  const neuron = await loadNeuron(db, neuronId);
  const cubes = neuron.tasks
    .filter((t) => t.consensus.length > 0)
    .map((t) => ({ box: { x0: t.x0, y0: t.y0, z0: t.z0, x1: t.x1, y1: t.y1, z1: t.z1 }, consensus: t.consensus }));
  if (cubes.length === 0) throw conflict("no cube of this neuron has a consensus yet: its first cube needs enough players to retire");
  const region = unionBox(cubes.map((c) => c.box));
  const labels = await loadLabelBox(neuron.dataset.slug, "supervoxels", region);
  const mask = consensusMask(labels, region, cubes);
  const shape = { x: region.x1 - region.x0, y: region.y1 - region.y0, z: region.z1 - region.z0 };
  const seed = { x: neuron.seedX - region.x0, y: neuron.seedY - region.y0, z: neuron.seedZ - region.z0 };
  const inside = seed.x >= 0 && seed.y >= 0 && seed.z >= 0 && seed.x < shape.x && seed.y < shape.y && seed.z < shape.z &&
    mask[(seed.z * shape.y + seed.y) * shape.x + seed.x] === 1;
  const ds = neuron.dataset;
  return { neuron, cubes, region, shape, mask, root: inside ? seed : null, voxelSize: { x: ds.voxelSizeX, y: ds.voxelSizeY, z: ds.voxelSizeZ } };
}
