// Where a cube's consensus leaves the cube: consensus voxels on each of its six faces, and which consensus
// supervoxels lie in a sub-box (the overlap with a neighbour, whose seeds they become).
import type { Face } from "./cube-grid";
import type { Box, Vec3 } from "./volume";

export type FaceExit = Face & { voxels: number };

function checkLabels(labels: ArrayLike<number>, size: Vec3) {
  if (labels.length !== size.x * size.y * size.z) throw new Error(`label array has ${labels.length} values, the cube needs ${size.x * size.y * size.z}`);
}

/**
 * Consensus voxels on each face plane of a cube. `labels` are the cube's supervoxels (zyx, cube-local).
 * Faces in FACES order: x-, x+, y-, y+, z-, z+.
 */
export function faceExits(labels: ArrayLike<number>, size: Vec3, consensus: ReadonlySet<number>): FaceExit[] {
  checkLabels(labels, size);
  const { x: sx, y: sy, z: sz } = size;
  const at = (x: number, y: number, z: number) => (consensus.has(labels[(z * sy + y) * sx + x]!) ? 1 : 0);
  const count = (u: number, v: number, f: (a: number, b: number) => number) => {
    let n = 0;
    for (let b = 0; b < v; b++) for (let a = 0; a < u; a++) n += f(a, b);
    return n;
  };
  return [
    { axis: "x", dir: -1, voxels: count(sy, sz, (y, z) => at(0, y, z)) },
    { axis: "x", dir: 1, voxels: count(sy, sz, (y, z) => at(sx - 1, y, z)) },
    { axis: "y", dir: -1, voxels: count(sx, sz, (x, z) => at(x, 0, z)) },
    { axis: "y", dir: 1, voxels: count(sx, sz, (x, z) => at(x, sy - 1, z)) },
    { axis: "z", dir: -1, voxels: count(sx, sy, (x, y) => at(x, y, 0)) },
    { axis: "z", dir: 1, voxels: count(sx, sy, (x, y) => at(x, y, sz - 1)) },
  ];
}

/** Voxels of each consensus supervoxel inside `sub` (cube-local box, clipped to the cube). */
export function consensusCountsInBox(labels: ArrayLike<number>, size: Vec3, consensus: ReadonlySet<number>, sub: Box): Map<number, number> {
  checkLabels(labels, size);
  const counts = new Map<number, number>();
  const x0 = Math.max(0, sub.x0), y0 = Math.max(0, sub.y0), z0 = Math.max(0, sub.z0);
  const x1 = Math.min(size.x, sub.x1), y1 = Math.min(size.y, sub.y1), z1 = Math.min(size.z, sub.z1);
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      let i = (z * size.y + y) * size.x + x0;
      for (let x = x0; x < x1; x++, i++) {
        const id = labels[i]!;
        if (consensus.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** Consensus supervoxels with at least `minVoxels` voxels inside `sub`, ascending. */
export function consensusInBox(labels: ArrayLike<number>, size: Vec3, consensus: ReadonlySet<number>, sub: Box, minVoxels = 1): number[] {
  return [...consensusCountsInBox(labels, size, consensus, sub)].filter(([, n]) => n >= minVoxels).map(([id]) => id).sort((a, b) => a - b);
}

/**
 * The seeds a neighbouring cube gets: consensus supervoxels in the overlap (with `inOverlap` voxels there)
 * that the parent cube actually judged, i.e. at least `minShare` of their voxels in the neighbour lie in the
 * overlap (`inNeighbour`). A supervoxel that mostly extends beyond what the parent's players saw would be
 * forced into the neighbour unseen. When none qualifies, the best-judged one, so growth goes on. Ascending.
 */
export function neighbourSeeds(inOverlap: ReadonlyMap<number, number>, inNeighbour: ReadonlyMap<number, number>, minShare: number): number[] {
  const share = [...inOverlap].map(([id, n]) => ({ id, share: n / Math.max(n, inNeighbour.get(id) ?? n) }));
  const good = share.filter((s) => s.share >= minShare).map((s) => s.id);
  if (good.length > 0 || share.length === 0) return good.sort((a, b) => a - b);
  return [share.sort((a, b) => b.share - a.share || a.id - b.id)[0]!.id];
}

/** Voxels of each consensus supervoxel on one face plane of the cube. */
export function faceCounts(labels: ArrayLike<number>, size: Vec3, consensus: ReadonlySet<number>, face: Face): Map<number, number> {
  const plane: Box = { x0: 0, y0: 0, z0: 0, x1: size.x, y1: size.y, z1: size.z };
  const lo = face.dir > 0 ? size[face.axis] - 1 : 0;
  plane[`${face.axis}0`] = lo;
  plane[`${face.axis}1`] = lo + 1;
  return consensusCountsInBox(labels, size, consensus, plane);
}

/**
 * The seeds a grid cell's traced cubes never judged: not among `covered` (the seeds and consensus of the
 * cell's traced cubes) and not touching any of it in the cell (`adjacency`). A supervoxel next to the cell's
 * consensus was in its players' reach (the consensus weighs the neighbours of the answer too): left out
 * there, it was judged and rejected, and a follow-up would force it in. Ascending.
 */
export function unjudgedSeeds(seeds: readonly number[], covered: ReadonlySet<number>, adjacency: ReadonlyMap<number, ReadonlySet<number>>): number[] {
  const touches = (s: number) => [...(adjacency.get(s) ?? [])].some((n) => covered.has(n));
  return seeds.filter((s) => !covered.has(s) && !touches(s)).sort((a, b) => a - b);
}

/**
 * A branch that re-enters a grid cell already traced for the neuron: the seeds the exit hands on that the
 * cell's traced cubes never judged (`unjudgedSeeds`), when the new part of the exit is worth a cube under
 * the same rule as any exit: at least `minExitVoxels` of the exit's face voxels (`onFace`: voxels per
 * consensus supervoxel on the exit face) belong to supervoxels outside `covered`. The cell's players traced
 * what connects to their own seeds inside the cube, so a branch that leaves and comes back elsewhere was
 * never theirs to trace; a follow-up cube of the cell, seeded with it, lets growth go on. Null: no follow-up.
 */
export function reentry(seeds: readonly number[], onFace: ReadonlyMap<number, number>, covered: ReadonlySet<number>, adjacency: ReadonlyMap<number, ReadonlySet<number>>, minExitVoxels: number): number[] | null {
  const fresh = unjudgedSeeds(seeds, covered, adjacency);
  if (fresh.length === 0) return null;
  let voxels = 0;
  for (const [id, n] of onFace) if (!covered.has(id)) voxels += n;
  return voxels >= minExitVoxels ? fresh : null;
}
