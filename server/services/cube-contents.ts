// What a task cube holds: its supervoxel labels, ids and voxel counts, and the dataset's cube grid.
import { cellBox, cubeGrid, FACES, neighbourCell, type CubeGrid } from "@/core/cube-grid";
import { statsInBox } from "@/core/label-volume";
import { supervoxelAdjacency, type Adjacency } from "@/core/supervoxel-graph";
import { boxSize, type Box, type Vec3 } from "@/core/volume";
import { loadLabels } from "@/server/store/label-cache";

export type CubeContents = { box: Box; size: Vec3; labels: Uint32Array; ids: number[]; sizes: number[] };

// A volume has few grid cubes and every one is read again and again (spawning, adjacency, practice):
// keep the most recent ones. Read-only for callers.
const MAX_CACHED_CUBES = Number(process.env.AXONAUT_CUBE_CACHE ?? 32);
const cache = new Map<string, Promise<CubeContents>>();

export function cubeContents(slug: string, box: Box): Promise<CubeContents> {
  const key = `${slug}/${box.x0},${box.y0},${box.z0},${box.x1},${box.y1},${box.z1}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = (async () => {
    const labels = await loadLabels(slug, "supervoxels", box);
    const size = boxSize(box);
    const stats = statsInBox(labels, size, { x0: 0, y0: 0, z0: 0, x1: size.x, y1: size.y, z1: size.z });
    return { box: { ...box }, size, labels, ids: Array.from(stats.ids), sizes: Array.from(stats.sizes) };
  })();
  made.catch(() => cache.delete(key));
  cache.set(key, made);
  while (cache.size > MAX_CACHED_CUBES) cache.delete(cache.keys().next().value as string);
  return made;
}

/** Which supervoxels touch which in a cube (cached with the cube). */
const adjacencies = new WeakMap<CubeContents, Adjacency>();
export async function cubeAdjacency(slug: string, box: Box): Promise<Adjacency> {
  const cube = await cubeContents(slug, box);
  let adj = adjacencies.get(cube);
  if (!adj) adjacencies.set(cube, (adj = supervoxelAdjacency(cube.labels, cube.size)));
  return adj;
}

type DatasetGeometry = { width: number; height: number; depth: number; cubeSize: number; cubeOverlap: number };

export function datasetGrid(d: DatasetGeometry): CubeGrid {
  return cubeGrid({ x: d.width, y: d.height, z: d.depth }, d.cubeSize, d.cubeOverlap);
}

export const sizeMap = (t: { supervoxelIds: number[]; supervoxelSizes: number[] }) => new Map(t.supervoxelIds.map((id, i) => [id, t.supervoxelSizes[i] ?? 0]));

/**
 * Reads a cube's on-grid face neighbours into the cache (what spawning reads when the cube retires), so
 * a retiring submission does not read them from disk while it holds its locks. Failures are ignored:
 * spawning reads them again itself.
 */
export async function prefetchNeighbours(
  dataset: DatasetGeometry & { slug: string },
  task: { gridX: number | null; gridY: number | null; gridZ: number | null },
): Promise<void> {
  if (task.gridX === null || task.gridY === null || task.gridZ === null) return;
  const grid = datasetGrid(dataset);
  const cell = { gx: task.gridX, gy: task.gridY, gz: task.gridZ };
  const boxes = FACES.map((f) => neighbourCell(grid, cell, f)).filter((c) => c !== null).map((c) => cellBox(grid, c));
  // More neighbours than the cache holds would only push each other out.
  if (boxes.length >= MAX_CACHED_CUBES) return;
  await Promise.all(boxes.map((b) => cubeContents(dataset.slug, b).catch(() => null)));
}
