// The task-cube grid that tiles a volume: cubes of one edge length overlapping their face neighbours by at
// least a given number of voxels, spread evenly so the last cube ends exactly at the volume's edge.
import type { Box, Vec3 } from "./volume";

export const DEFAULT_CUBE_SIZE = 96;
export const DEFAULT_CUBE_OVERLAP = 16;

export type GridCell = { gx: number; gy: number; gz: number };
export type Axis = "x" | "y" | "z";
export type CubeGrid = { shape: Vec3; size: Vec3; origins: Record<Axis, number[]> };

export const AXES: readonly Axis[] = ["x", "y", "z"];
const cellKey: Record<Axis, keyof GridCell> = { x: "gx", y: "gy", z: "gz" };

/**
 * Cube origins along one axis of `extent` voxels. An axis shorter than the cube gets one cube of the
 * axis' length. Otherwise as few cubes as keep every overlap >= `overlap`, at evenly spread origins.
 */
export function axisOrigins(extent: number, size: number, overlap: number): number[] {
  if (!(extent > 0)) return [];
  const s = Math.min(Math.floor(size), extent);
  if (s <= 0) throw new Error(`cube size must be positive (got ${size})`);
  if (s >= extent) return [0];
  const o = Math.max(0, Math.floor(overlap));
  if (o >= s) throw new Error(`overlap ${overlap} must be smaller than the cube size ${s}`);
  const stride = s - o;
  const count = Math.ceil((extent - s) / stride) + 1;
  return Array.from({ length: count }, (_, k) => Math.round((k * (extent - s)) / (count - 1)));
}

export function cubeGrid(shape: Vec3, size = DEFAULT_CUBE_SIZE, overlap = DEFAULT_CUBE_OVERLAP): CubeGrid {
  return {
    shape,
    size: { x: Math.min(size, shape.x), y: Math.min(size, shape.y), z: Math.min(size, shape.z) },
    origins: { x: axisOrigins(shape.x, size, overlap), y: axisOrigins(shape.y, size, overlap), z: axisOrigins(shape.z, size, overlap) },
  };
}

export function gridDims(grid: CubeGrid): Vec3 {
  return { x: grid.origins.x.length, y: grid.origins.y.length, z: grid.origins.z.length };
}

export function inGrid(grid: CubeGrid, c: GridCell): boolean {
  return AXES.every((a) => Number.isInteger(c[cellKey[a]]) && c[cellKey[a]] >= 0 && c[cellKey[a]] < grid.origins[a].length);
}

export function cellBox(grid: CubeGrid, c: GridCell): Box {
  if (!inGrid(grid, c)) throw new Error(`cell (${c.gx}, ${c.gy}, ${c.gz}) is outside the grid`);
  const x0 = grid.origins.x[c.gx]!, y0 = grid.origins.y[c.gy]!, z0 = grid.origins.z[c.gz]!;
  return { x0, y0, z0, x1: x0 + grid.size.x, y1: y0 + grid.size.y, z1: z0 + grid.size.z };
}

// The cube along one axis that holds p farthest from its faces (ties: the lower one).
function axisCellFor(origins: number[], size: number, p: number): number {
  let best = -1;
  let bestMargin = -1;
  origins.forEach((o, k) => {
    if (p < o || p >= o + size) return;
    const margin = Math.min(p - o, o + size - 1 - p);
    if (margin > bestMargin) {
      bestMargin = margin;
      best = k;
    }
  });
  return best;
}

/** The cell whose cube holds the point most centrally; null outside the volume. */
export function cellForPoint(grid: CubeGrid, p: Vec3): GridCell | null {
  const gx = axisCellFor(grid.origins.x, grid.size.x, p.x);
  const gy = axisCellFor(grid.origins.y, grid.size.y, p.y);
  const gz = axisCellFor(grid.origins.z, grid.size.z, p.z);
  return gx < 0 || gy < 0 || gz < 0 ? null : { gx, gy, gz };
}

export type Face = { axis: Axis; dir: -1 | 1 };
export const FACES: readonly Face[] = AXES.flatMap((axis) => [{ axis, dir: -1 as const }, { axis, dir: 1 as const }]);

/** The face neighbour of a cell, or null at the edge of the volume. */
export function neighbourCell(grid: CubeGrid, c: GridCell, face: Face): GridCell | null {
  const n = { ...c, [cellKey[face.axis]]: c[cellKey[face.axis]] + face.dir };
  return inGrid(grid, n) ? n : null;
}

/** Intersection of two boxes (empty boxes have x1 <= x0 on some axis). */
export function intersectBoxes(a: Box, b: Box): Box {
  return {
    x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), z0: Math.max(a.z0, b.z0),
    x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), z1: Math.min(a.z1, b.z1),
  };
}
