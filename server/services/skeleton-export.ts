// A neuron's consensus reconstruction as a voxel mask, its skeleton, and the SWC file.
import type { Db } from "@/server/db/client";
import { skeletonize } from "@/core/skeleton";
import { toSwc } from "@/core/swc";
import type { Box } from "@/core/volume";
import { loadLabelBox } from "@/server/store/store";
import { conflict, notFound } from "./errors";

type CubeConsensus = { box: Box; consensus: number[] };

function unionBox(boxes: Box[]): Box {
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

export async function neuronSkeletonSwc(db: Db, neuronId: string): Promise<{ filename: string; swc: string }> {
  const neuron = await db.neuron.findUnique({
    where: { id: neuronId },
    include: { dataset: true, tasks: { where: { status: "RETIRED" } } },
  });
  if (!neuron) throw notFound("neuron");
  const cubes = neuron.tasks
    .filter((t) => t.consensus.length > 0)
    .map((t) => ({ box: { x0: t.x0, y0: t.y0, z0: t.z0, x1: t.x1, y1: t.y1, z1: t.z1 }, consensus: t.consensus }));
  if (cubes.length === 0) throw conflict("no cube of this neuron has a consensus yet: three players must finish its first cube");
  const region = unionBox(cubes.map((c) => c.box));
  const labels = await loadLabelBox(neuron.dataset.slug, "supervoxels", region);
  const mask = consensusMask(labels, region, cubes);
  const shape = { x: region.x1 - region.x0, y: region.y1 - region.y0, z: region.z1 - region.z0 };
  const seed = { x: neuron.seedX - region.x0, y: neuron.seedY - region.y0, z: neuron.seedZ - region.z0 };
  const seedInside = seed.x >= 0 && seed.y >= 0 && seed.z >= 0 && seed.x < shape.x && seed.y < shape.y && seed.z < shape.z &&
    mask[(seed.z * shape.y + seed.y) * shape.x + seed.x] === 1;
  const skeleton = skeletonize(mask, shape, seedInside ? { root: seed } : {});
  const ds = neuron.dataset;
  const swc = toSwc(skeleton, {
    voxelSize: { x: ds.voxelSizeX, y: ds.voxelSizeY, z: ds.voxelSizeZ },
    offset: { x: region.x0, y: region.y0, z: region.z0 },
    header: [
      `Axonaut consensus skeleton of neuron "${neuron.name}" (${neuron.id})`,
      `dataset: ${ds.name}`,
      `coordinates and radii in micrometres; voxel size ${ds.voxelSizeX}x${ds.voxelSizeY}x${ds.voxelSizeZ} nm`,
      `cubes with consensus: ${cubes.length}`,
      `data license: ${ds.license}`,
      `attribution: ${ds.attribution}`,
      `exported: ${new Date().toISOString()}`,
    ],
  });
  const safe = neuron.name.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60) || "neuron";
  return { filename: `${safe}.swc`, swc };
}
