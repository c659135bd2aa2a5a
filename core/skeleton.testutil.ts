// Shared by the skeleton tests: phantoms with a known axis, the validity checks every skeleton must pass,
// ground-truth masks of the sample, and how well a skeleton's tubes cover its mask.
import { expect } from "vitest";
import type { Skeleton } from "./skeleton";
import { distanceToSegment, type Segment, skeletonSegments } from "./skeleton-metrics";
import { SAMPLE_SHAPE, loadSampleLabels } from "./sample-labels.testutil";
import type { Vec3 } from "./volume";

export const ISO = { x: 1, y: 1, z: 1 };
export const v = (x: number, y: number, z: number): Vec3 => ({ x, y, z });
export const at = (shape: Vec3, x: number, y: number, z: number) => (Math.round(z) * shape.y + Math.round(y)) * shape.x + Math.round(x);

/** Voxels whose centre lies within `r` nm of any segment (segments in nm): capsules. */
export function phantom(shape: Vec3, axis: Segment[], r: number, vs: Vec3 = ISO): Uint8Array {
  const m = new Uint8Array(shape.x * shape.y * shape.z);
  let i = 0;
  for (let z = 0; z < shape.z; z++)
    for (let y = 0; y < shape.y; y++)
      for (let x = 0; x < shape.x; x++, i++) if (axis.some((s) => distanceToSegment(v(x * vs.x, y * vs.y, z * vs.z), s) <= r)) m[i] = 1;
  return m;
}

/** A forest listed parents first, every node inside the mask with a positive radius. */
export function expectValid(s: Skeleton, mask: Uint8Array, shape: Vec3) {
  s.nodes.forEach((n, i) => {
    expect(Number.isInteger(n.parent)).toBe(true);
    expect(n.parent).toBeGreaterThanOrEqual(-1);
    expect(n.parent).toBeLessThan(i); // parents first, hence no cycles
    expect(n.radius).toBeGreaterThan(0);
    expect(mask[at(shape, n.x, n.y, n.z)]).toBe(1);
  });
}

export function stats(s: Skeleton) {
  const children = new Array<number>(s.nodes.length).fill(0);
  for (const n of s.nodes) if (n.parent >= 0) children[n.parent]!++;
  const degree = children.map((c, i) => c + (s.nodes[i]!.parent >= 0 ? 1 : 0));
  return { roots: s.nodes.filter((n) => n.parent < 0).length, branchPoints: degree.filter((d) => d > 2).length, ends: degree.filter((d) => d <= 1).length };
}

/** The mask of the sample's ground-truth body of this size rank (0 = largest). */
export function sampleBodyMask(rank: number): { id: number; size: number; mask: Uint8Array } {
  const gt = loadSampleLabels("ground-truth");
  const counts = new Map<number, number>();
  for (const l of gt) if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
  const [id, size] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[rank]!;
  const mask = new Uint8Array(gt.length);
  for (let i = 0; i < gt.length; i++) mask[i] = gt[i] === id ? 1 : 0;
  return { id, size, mask };
}

/**
 * Coverage of a sample mask (10 nm voxels) by the skeleton: each voxel's distance to its nearest edge
 * against that edge's radius. Shares of voxels within radius + 2 voxels and within the covering tube
 * (1.5·radius + 7 voxels: the invalidation tube plus the spur allowance and one voxel), and the worst excess.
 */
export function sampleCoverage(s: Skeleton, mask: Uint8Array): { within2: number; withinTube: number; worst: number } {
  const vs = v(10, 10, 10);
  const segs = skeletonSegments(s, vs);
  // Radii in the order skeletonSegments lists edges (an edge takes its larger end; a lone root its own).
  const radii = s.nodes.flatMap((n, i) =>
    n.parent >= 0 ? [Math.max(n.radiusNm!, s.nodes[n.parent]!.radiusNm!)] : s.nodes.some((c) => c.parent === i) ? [] : [n.radiusNm!],
  );
  const { x: sx, y: sy } = SAMPLE_SHAPE;
  let within2 = 0;
  let withinTube = 0;
  let worst = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    n++;
    const p = v((i % sx) * 10, (Math.floor(i / sx) % sy) * 10, Math.floor(i / (sx * sy)) * 10);
    let best = Infinity;
    let bestR = 0;
    segs.forEach((sg, k) => {
      const d = distanceToSegment(p, sg);
      if (d < best) [best, bestR] = [d, radii[k]!];
    });
    const excess = (best - bestR) / 10; // voxels beyond the radius
    if (excess <= 2) within2++;
    if (best <= 1.5 * bestR + 70) withinTube++;
    if (excess > worst) worst = excess;
  }
  return { within2: within2 / n, withinTube: withinTube / n, worst };
}
