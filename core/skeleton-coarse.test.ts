// The coarse path of core/skeleton.ts: pieces above `coarseAbove` voxels are traced on a grid
// pooled 2× and mapped back to full resolution (node positions climbed onto the fine DBF, radii
// measured at full resolution). The same checks as skeleton.test.ts, with the coarse path forced.
import { describe, expect, it } from "vitest";
import { type Skeleton, skeletonize } from "./skeleton";
import { compareToAxis, type Segment } from "./skeleton-metrics";
import { SAMPLE_SHAPE } from "./sample-labels.testutil";
import { expectValid, phantom, sampleBodyMask, sampleCoverage, stats, v } from "./skeleton.testutil";
import type { Vec3 } from "./volume";

const roots = (s: Skeleton) => stats(s).roots;
const branchPoints = (s: Skeleton) => stats(s).branchPoints;

function checkPhantom(name: string, shape: Vec3, axis: Segment[], r: number, vs: Vec3, expected: { pieces: number; branchPoints: number }, limits = { precision: 0.85, cableError: 0.15, extraBranchPoints: 0 }) {
  const mask = phantom(shape, axis, r, vs);
  const s = skeletonize(mask, shape, { voxelSize: vs, coarseAbove: 0 });
  expectValid(s, mask, shape);
  const unit = Math.min(vs.x, vs.y, vs.z);
  const cmp = compareToAxis(s, vs, axis, 2 * unit);
  const inner = s.nodes.filter((n) => {
    const p = v(n.x * vs.x, n.y * vs.y, n.z * vs.z);
    return axis.every(([a, b]) => Math.hypot(p.x - a.x, p.y - a.y, p.z - a.z) > 2 * r && Math.hypot(p.x - b.x, p.y - b.y, p.z - b.z) > 2 * r);
  });
  const radiusError = inner.reduce((a, n) => a + Math.abs(n.radiusNm! - r), 0) / Math.max(1, inner.length);
  console.log(
    `coarse ${name}: ${s.nodes.length} nodes, precision ${cmp.precision.toFixed(3)}, recall ${cmp.recall.toFixed(3)}, ` +
      `cable error ${(100 * cmp.cableError).toFixed(1)} %, mean radius error ${(radiusError / unit).toFixed(2)} voxels`,
  );
  expect(cmp.precision).toBeGreaterThanOrEqual(limits.precision);
  expect(cmp.recall).toBeGreaterThanOrEqual(0.9);
  expect(cmp.cableError).toBeLessThan(limits.cableError);
  expect(radiusError).toBeLessThan(unit);
  expect(inner.length).toBeGreaterThan(0);
  expect(roots(s)).toBe(expected.pieces);
  expect(branchPoints(s)).toBeGreaterThanOrEqual(expected.branchPoints);
  expect(branchPoints(s)).toBeLessThanOrEqual(expected.branchPoints + limits.extraBranchPoints);
}

describe("skeletonize on a pooled grid (coarseAbove: 0)", () => {
  it("straight tube, Y-branch, two pieces", () => {
    checkPhantom("straight", v(120, 24, 24), [[v(10, 12, 12), v(110, 12, 12)]], 5, v(1, 1, 1), { pieces: 1, branchPoints: 0 });
    const j = v(60, 60, 12);
    checkPhantom("Y", v(120, 120, 24), [[v(10, 60, 12), j], [j, v(110, 30, 12)], [j, v(110, 90, 12)]], 5, v(1, 1, 1), { pieces: 1, branchPoints: 1 });
    const two: Segment[] = [[v(5, 8, 10), v(55, 8, 10)], [v(5, 30, 10), v(55, 30, 10)]];
    checkPhantom("two pieces", v(60, 40, 20), two, 4, v(1, 1, 1), { pieces: 2, branchPoints: 0 });
  });

  it("anisotropic voxels 4×4×40 nm pool x and y only", () => {
    // Looser than at full resolution (0.89 precision, 7 % cable error, no spur there): every 40 nm
    // step in z makes a node, nodes placed one by one on the fine grid zig-zag a little more, and
    // the far cap (one slice thick, 20 voxels wide) forks into a short spur just over the pruning
    // length.
    const limits = { precision: 0.8, cableError: 0.2, extraBranchPoints: 1 };
    checkPhantom("anisotropic", v(185, 60, 25), [[v(60, 120, 80), v(660, 120, 880)]], 40, v(4, 4, 40), { pieces: 1, branchPoints: 0 }, limits);
  });

  it("pieces one voxel apart stay separate trees; a given root comes first and stays put", () => {
    const shape = v(60, 30, 20);
    const mask = phantom(shape, [[v(5, 8, 10), v(55, 8, 10)]], 4, v(1, 1, 1));
    // A second tube whose surface is two voxels from the first: their 2× blocks touch.
    const other = phantom(shape, [[v(5, 18, 10), v(55, 18, 10)]], 3, v(1, 1, 1));
    for (let i = 0; i < mask.length; i++) if (other[i]) mask[i] = 1;
    const s = skeletonize(mask, shape, { coarseAbove: 0, root: v(30, 18, 10) });
    expectValid(s, mask, shape);
    expect(roots(s)).toBe(2);
    expect(s.nodes[0]).toMatchObject({ x: 30, y: 18, z: 10, parent: -1 });
  });

  it("a NeuroProof ground-truth neuron: inside the mask, covered within the radius + 2 voxels", () => {
    const { id, size, mask } = sampleBodyMask(40);
    const s = skeletonize(mask, SAMPLE_SHAPE, { voxelSize: v(10, 10, 10), coarseAbove: 0 });
    expectValid(s, mask, SAMPLE_SHAPE);
    expect(roots(s)).toBe(1);
    const c = sampleCoverage(s, mask);
    console.log(`coarse ground-truth body ${id} (${size} voxels): ${s.nodes.length} nodes, ${(100 * c.within2).toFixed(2)} % within radius + 2 voxels, ${(100 * c.withinTube).toFixed(2)} % within the tube`);
    expect(c.within2).toBeGreaterThan(0.85);
    expect(c.withinTube).toBeGreaterThan(0.995);
  });
});
