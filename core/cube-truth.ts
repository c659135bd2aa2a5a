// The right answer for one cube, from ground truth: what a perfect player would trace. Used for practice
// cubes and the simulation only; ground truth never reaches players.
import { reachable, supervoxelAdjacency, type Adjacency } from "./supervoxel-graph";
import type { Vec3 } from "./volume";

export type CubeTruth = {
  /** Supervoxels traceable from the seeds inside the cube, ascending (seeds included). */
  answer: number[];
  /** Every supervoxel whose voxels in the cube lie mostly in the body (traceable or not), ascending. */
  inBody: number[];
  adjacency: Adjacency;
};

/**
 * A supervoxel belongs to the body in this cube when more than half of its voxels here are the body's.
 * The answer keeps those connected to the seeds through body supervoxels (a player follows the neurite
 * from the seed; a piece that only re-enters the cube elsewhere is reached from a neighbouring cube).
 */
/** For each supervoxel, the body that holds more than half of its voxels here (0 when none does). */
export function majorityBodies(supervoxels: ArrayLike<number>, groundTruth: ArrayLike<number>): Map<number, number> {
  if (groundTruth.length !== supervoxels.length) throw new Error("supervoxel and ground-truth boxes differ in size");
  const counts = new Map<number, Map<number, number>>();
  let prevS = -1, prevB = -1, run = 0;
  const flush = () => {
    if (prevS <= 0) return;
    let m = counts.get(prevS);
    if (!m) counts.set(prevS, (m = new Map()));
    m.set(prevB, (m.get(prevB) ?? 0) + run);
  };
  for (let i = 0; i < supervoxels.length; i++) {
    const s = supervoxels[i]!, b = groundTruth[i]!;
    if (s === prevS && b === prevB) run++;
    else (flush(), (prevS = s), (prevB = b), (run = 1));
  }
  flush();
  const out = new Map<number, number>();
  for (const [s, m] of counts) {
    let total = 0, best = 0, bestN = 0;
    for (const [b, n] of m) {
      total += n;
      if (n > bestN) (best = b), (bestN = n);
    }
    out.set(s, 2 * bestN > total ? best : 0);
  }
  return out;
}

export function cubeTruth(supervoxels: ArrayLike<number>, groundTruth: ArrayLike<number>, size: Vec3, body: number, seeds: readonly number[]): CubeTruth {
  if (groundTruth.length !== supervoxels.length) throw new Error("supervoxel and ground-truth boxes differ in size");
  const total = new Map<number, number>();
  const inside = new Map<number, number>();
  for (let i = 0; i < supervoxels.length; i++) {
    const s = supervoxels[i]!;
    if (s === 0) continue;
    total.set(s, (total.get(s) ?? 0) + 1);
    if (groundTruth[i] === body) inside.set(s, (inside.get(s) ?? 0) + 1);
  }
  const inBody = [...total].filter(([s, n]) => 2 * (inside.get(s) ?? 0) > n).map(([s]) => s).sort((a, b) => a - b);
  const adjacency = supervoxelAdjacency(supervoxels, size);
  const allowed = new Set([...inBody, ...seeds]);
  const answer = reachable(adjacency, seeds, allowed);
  return { answer, inBody, adjacency };
}
