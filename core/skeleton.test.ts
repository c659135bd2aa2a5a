import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { skeletonize } from "./skeleton";
import { compareToAxis, type Segment } from "./skeleton-metrics";
import { SAMPLE_SHAPE } from "./sample-labels.testutil";
import { at, expectValid, ISO, phantom, sampleBodyMask, sampleCoverage, stats, v } from "./skeleton.testutil";
import type { Vec3 } from "./volume";

/** Number of 26-connected components, by an independent flood fill. */
function components(mask: Uint8Array, shape: Vec3): number {
  const seen = new Uint8Array(mask.length);
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || seen[i]) continue;
    count++;
    const stack = [i];
    seen[i] = 1;
    while (stack.length) {
      const u = stack.pop()!;
      const x = u % shape.x;
      const y = Math.floor(u / shape.x) % shape.y;
      const z = Math.floor(u / (shape.x * shape.y));
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const X = x + dx, Y = y + dy, Z = z + dz;
            if (X < 0 || Y < 0 || Z < 0 || X >= shape.x || Y >= shape.y || Z >= shape.z) continue;
            const w = (Z * shape.y + Y) * shape.x + X;
            if (mask[w] && !seen[w]) {
              seen[w] = 1;
              stack.push(w);
            }
          }
    }
  }
  return count;
}

/** Known-axis phantoms: precision/recall within 2 voxels, cable-length and radius errors. */
function checkPhantom(name: string, shape: Vec3, axis: Segment[], r: number, vs: Vec3, expected: { pieces?: number; branchPoints?: number }) {
  const mask = phantom(shape, axis, r, vs);
  const s = skeletonize(mask, shape, { voxelSize: vs });
  expectValid(s, mask, shape);
  const unit = Math.min(vs.x, vs.y, vs.z);
  const cmp = compareToAxis(s, vs, axis, 2 * unit);
  // Radius error on nodes away from the caps and junctions (within 1 voxel of the true radius).
  const inner = s.nodes.filter((n) => {
    const p = v(n.x * vs.x, n.y * vs.y, n.z * vs.z);
    return axis.every(([a, b]) => Math.hypot(p.x - a.x, p.y - a.y, p.z - a.z) > 2 * r && Math.hypot(p.x - b.x, p.y - b.y, p.z - b.z) > 2 * r);
  });
  const radiusError = inner.reduce((a, n) => a + Math.abs(n.radiusNm! - r), 0) / Math.max(1, inner.length);
  const st = stats(s);
  console.log(
    `${name}: ${s.nodes.length} nodes, precision ${cmp.precision.toFixed(3)}, recall ${cmp.recall.toFixed(3)} (2 voxels), ` +
      `cable ${cmp.cable.toFixed(0)} vs axis ${cmp.axisLength.toFixed(0)} nm (error ${(100 * cmp.cableError).toFixed(1)} %), ` +
      `mean radius error ${radiusError.toFixed(2)} nm (${(radiusError / unit).toFixed(2)} voxels), branch points ${st.branchPoints}`,
  );
  expect(cmp.precision).toBeGreaterThanOrEqual(0.85);
  expect(cmp.recall).toBeGreaterThanOrEqual(0.9);
  expect(cmp.cableError).toBeLessThan(0.15);
  expect(radiusError).toBeLessThan(unit);
  expect(inner.length).toBeGreaterThan(0);
  if (expected.pieces !== undefined) expect(st.roots).toBe(expected.pieces);
  if (expected.branchPoints !== undefined) expect(st.branchPoints).toBe(expected.branchPoints);
  return s;
}

describe("skeletonize: phantoms with known medial axes", () => {
  it("straight tube", () => {
    checkPhantom("straight", v(120, 24, 24), [[v(10, 12, 12), v(110, 12, 12)]], 4, ISO, { pieces: 1, branchPoints: 0 });
  });

  it("bent tube (an L and a diagonal)", () => {
    const axis: Segment[] = [[v(10, 10, 10), v(70, 10, 10)], [v(70, 10, 10), v(70, 70, 40)]];
    checkPhantom("bent", v(82, 82, 52), axis, 4, ISO, { pieces: 1, branchPoints: 0 });
  });

  it("Y-branch", () => {
    const j = v(60, 60, 12);
    const axis: Segment[] = [[v(10, 60, 12), j], [j, v(110, 30, 12)], [j, v(110, 90, 12)]];
    checkPhantom("Y", v(120, 120, 24), axis, 4, ISO, { pieces: 1, branchPoints: 1 });
  });

  it("anisotropic voxels 4×4×40 nm: a tube running through x and z", () => {
    const vs = { x: 4, y: 4, z: 40 };
    // 600 nm along x, 800 nm along z; radius 40 nm = 10 voxels in x/y, 1 slice in z.
    const axis: Segment[] = [[v(60, 120, 80), v(660, 120, 880)]];
    checkPhantom("anisotropic", v(185, 60, 25), axis, 40, vs, { pieces: 1, branchPoints: 0 });
  });

  it("two disjoint pieces: two trees, the one holding the root first", () => {
    const axis: Segment[] = [[v(5, 8, 10), v(55, 8, 10)], [v(5, 30, 10), v(55, 30, 10)]];
    const shape = v(60, 40, 20);
    const s = checkPhantom("two pieces", shape, axis, 3, ISO, { pieces: 2, branchPoints: 0 });
    const rooted = skeletonize(phantom(shape, axis, 3), shape, { root: v(30, 30, 10) });
    expect(rooted.nodes[0]!.y).toBeCloseTo(30, 0);
    expect(Math.abs(rooted.nodes[0]!.x - 30)).toBeLessThanOrEqual(1);
    expect(s.nodes.filter((n) => n.parent < 0)).toHaveLength(2);
  });
});

describe("skeletonize: behaviour", () => {
  it("a given root becomes the first node (snapped into the mask); a larger step gives fewer nodes", () => {
    const shape = v(120, 24, 24);
    const mask = phantom(shape, [[v(10, 12, 12), v(110, 12, 12)]], 4);
    const mid = skeletonize(mask, shape, { root: v(60, 12, 12) });
    expectValid(mid, mask, shape);
    expect(mid.nodes[0]).toMatchObject({ x: 60, y: 12, z: 12, parent: -1 });
    expect(mid.nodes.filter((n) => n.parent === 0)).toHaveLength(2);
    const far = skeletonize(mask, shape, { root: v(119, 0, 0) });
    expect(far.nodes[0]!.x).toBeGreaterThan(105);
    const coarse = skeletonize(mask, shape, { step: 8 });
    expect(coarse.nodes.length).toBeLessThan(mid.nodes.length * 0.7);
  });

  it("a single voxel is a root of radius half a voxel; radii come in nm and in voxels", () => {
    const shape = v(5, 5, 5);
    const mask = new Uint8Array(125);
    mask[at(shape, 2, 2, 2)] = 1;
    expect(skeletonize(mask, shape, { voxelSize: { x: 8, y: 8, z: 30 } }).nodes).toEqual([{ x: 2, y: 2, z: 2, radius: 0.5, radiusNm: 4, parent: -1 }]);
  });

  it("pruning drops surface bumps but keeps real branches", () => {
    const shape = v(120, 50, 24);
    const base = phantom(shape, [[v(10, 20, 12), v(110, 20, 12)]], 4);
    const finger = (length: number) => {
      const mask = base.slice();
      for (let y = 24; y <= 24 + length; y++) mask[at(shape, 60, y, 12)] = 1;
      return mask;
    };
    expect(stats(skeletonize(finger(3), shape, { root: v(10, 20, 12) })).branchPoints).toBe(0);
    const branch = finger(20);
    const kept = skeletonize(branch, shape, { root: v(10, 20, 12) });
    expectValid(kept, branch, shape);
    expect(stats(kept).branchPoints).toBe(1);
    expect(Math.max(...kept.nodes.map((n) => n.y))).toBeGreaterThan(40);
  });

  it("empty mask gives no nodes; wrong size or voxel size throws", () => {
    expect(skeletonize(new Uint8Array(27), v(3, 3, 3)).nodes).toEqual([]);
    expect(() => skeletonize(new Uint8Array(5), v(3, 3, 3))).toThrow(/shape needs 27/);
    expect(() => skeletonize(new Uint8Array(27), v(3, 3, 3), { voxelSize: v(1, 0, 1) })).toThrow(/voxel size/);
  });

  it("property: random blobs give a valid forest with one tree per 26-connected component", () => {
    const shape = v(16, 14, 12);
    const ball = fc.record({ x: fc.integer({ min: 0, max: 15 }), y: fc.integer({ min: 0, max: 13 }), z: fc.integer({ min: 0, max: 11 }), r: fc.double({ min: 0, max: 4, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(ball, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (balls, step, prune) => {
        const mask = new Uint8Array(shape.x * shape.y * shape.z);
        let i = 0;
        for (let z = 0; z < shape.z; z++)
          for (let y = 0; y < shape.y; y++)
            for (let x = 0; x < shape.x; x++, i++) if (balls.some((b) => (x - b.x) ** 2 + (y - b.y) ** 2 + (z - b.z) ** 2 <= b.r * b.r)) mask[i] = 1;
        const s = skeletonize(mask, shape, { step, prune });
        expectValid(s, mask, shape);
        expect(stats(s).roots).toBe(components(mask, shape));
      }),
      { numRuns: 60 },
    );
  });
});

describe("skeletonize: NeuroProof ground-truth neurons", () => {
  it("every node inside the mask, the tree reaches every part of the mask, one tree per piece", () => {
    // Mid-sized neurons keep the test quick (the largest ones run in bench/skeleton.ts).
    for (const rank of [40, 120]) {
      const { id, size, mask } = sampleBodyMask(rank);
      const s = skeletonize(mask, SAMPLE_SHAPE, { voxelSize: v(10, 10, 10) });
      expectValid(s, mask, SAMPLE_SHAPE);
      expect(stats(s).roots).toBe(components(mask, SAMPLE_SHAPE));
      const c = sampleCoverage(s, mask);
      console.log(
        `ground-truth body ${id} (rank ${rank + 1}, ${size} voxels, ${components(mask, SAMPLE_SHAPE)} pieces): ${s.nodes.length} nodes, ` +
          `${(100 * c.within2).toFixed(2)} % of voxels within radius + 2 voxels of an edge, ${(100 * c.withinTube).toFixed(2)} % within the covering tube, worst ${c.worst.toFixed(1)} voxels beyond the radius`,
      );
      expect(c.within2).toBeGreaterThan(0.85);
      expect(c.withinTube).toBeGreaterThan(0.995);
    }
  });
});
