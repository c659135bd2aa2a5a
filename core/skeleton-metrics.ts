// How close a skeleton is to a reference: node precision and recall within a distance tolerance
// (the standard skeleton measure besides ERL; e.g. Funke et al. 2017, Januszewski et al. 2018) and
// cable length. All in physical units (nm), so anisotropic voxels count as they are.
// Shared by the tests (against phantoms with known medial axes) and bench/skeleton.ts (against
// skimage's voxel skeleton).
import type { Skeleton } from "./skeleton";
import type { Vec3 } from "./volume";

export type Segment = [Vec3, Vec3];

/** Node positions in nm. */
export function nodePoints(s: Skeleton, voxelSize: Vec3): Vec3[] {
  return s.nodes.map((n) => ({ x: n.x * voxelSize.x, y: n.y * voxelSize.y, z: n.z * voxelSize.z }));
}

/** Edges (parent → child) as segments in nm; a lone root becomes a zero-length segment. */
export function skeletonSegments(s: Skeleton, voxelSize: Vec3): Segment[] {
  const pts = nodePoints(s, voxelSize);
  const children = new Uint32Array(s.nodes.length);
  for (const n of s.nodes) if (n.parent >= 0) children[n.parent]!++;
  const segs: Segment[] = [];
  s.nodes.forEach((n, i) => {
    if (n.parent >= 0) segs.push([pts[n.parent]!, pts[i]!]);
    else if (children[i] === 0) segs.push([pts[i]!, pts[i]!]);
  });
  return segs;
}

/** Total edge length in nm. */
export function cableLength(s: Skeleton, voxelSize: Vec3): number {
  let sum = 0;
  for (const n of s.nodes) {
    if (n.parent < 0) continue;
    const p = s.nodes[n.parent]!;
    sum += Math.hypot((n.x - p.x) * voxelSize.x, (n.y - p.y) * voxelSize.y, (n.z - p.z) * voxelSize.z);
  }
  return sum;
}

/** Length of polylines given as segments (nm). */
export function segmentsLength(segs: Segment[]): number {
  return segs.reduce((a, [p, q]) => a + Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z), 0);
}

export function distanceToSegment(p: Vec3, [a, b]: Segment): number {
  const abx = b.x - a.x;
  const aby = b.y - a.y;
  const abz = b.z - a.z;
  const len2 = abx * abx + aby * aby + abz * abz;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * abx + (p.y - a.y) * aby + (p.z - a.z) * abz) / len2));
  return Math.hypot(p.x - a.x - t * abx, p.y - a.y - t * aby, p.z - a.z - t * abz);
}

export function distanceToSegments(p: Vec3, segs: Segment[]): number {
  let best = Infinity;
  for (const s of segs) {
    const d = distanceToSegment(p, s);
    if (d < best) best = d;
  }
  return best;
}

/** Points every `spacing` nm along the segments (both ends included). */
export function samplePolyline(segs: Segment[], spacing: number): Vec3[] {
  const out: Vec3[] = [];
  for (const [a, b] of segs) {
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z) / spacing));
    for (let i = 0; i <= n; i++) {
      const t = i / n;
      out.push({ x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y), z: a.z + t * (b.z - a.z) });
    }
  }
  return out;
}

export type PrecisionRecall = { precision: number; recall: number; f1: number };

/**
 * Precision: share of `predicted` points within `tol` of the reference; recall: share of `truth`
 * points within `tol` of the prediction. Each side is measured against the other's segments
 * (points are zero-length segments), so node spacing does not count as a miss.
 */
export function precisionRecall(predicted: Vec3[], predictedSegs: Segment[], truth: Vec3[], truthSegs: Segment[], tol: number): PrecisionRecall {
  const hit = (pts: Vec3[], segs: Segment[]) => (pts.length === 0 ? 1 : pts.filter((p) => distanceToSegments(p, segs) <= tol).length / pts.length);
  const precision = predictedSegs.length === 0 && predicted.length > 0 ? 0 : hit(predicted, truthSegs);
  const recall = hit(truth, predictedSegs);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** A skeleton against a known medial axis (segments in nm): node precision/recall, cable-length error. */
export function compareToAxis(s: Skeleton, voxelSize: Vec3, axis: Segment[], tol: number): PrecisionRecall & { cable: number; axisLength: number; cableError: number } {
  const segs = skeletonSegments(s, voxelSize);
  const unit = Math.min(voxelSize.x, voxelSize.y, voxelSize.z);
  const pr = precisionRecall(nodePoints(s, voxelSize), segs, samplePolyline(axis, unit), axis, tol);
  const cable = cableLength(s, voxelSize);
  const axisLength = segmentsLength(axis);
  return { ...pr, cable, axisLength, cableError: Math.abs(cable - axisLength) / axisLength };
}
