import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Skeleton, skeletonize } from "./skeleton";
import { SAMPLE_SHAPE, largestLabel, loadSampleLabels } from "./sample-labels.testutil";
import type { Vec3 } from "./volume";

type Segment = [Vec3, Vec3];

function distToSegment(p: Vec3, [a, b]: Segment): number {
  const abx = b.x - a.x;
  const aby = b.y - a.y;
  const abz = b.z - a.z;
  const len2 = abx * abx + aby * aby + abz * abz;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * abx + (p.y - a.y) * aby + (p.z - a.z) * abz) / len2));
  return Math.hypot(p.x - a.x - t * abx, p.y - a.y - t * aby, p.z - a.z - t * abz);
}

/** Voxels within `r` of any segment (capsules). */
function tubes(shape: Vec3, segments: Segment[], r: number): Uint8Array {
  const m = new Uint8Array(shape.x * shape.y * shape.z);
  let i = 0;
  for (let z = 0; z < shape.z; z++)
    for (let y = 0; y < shape.y; y++)
      for (let x = 0; x < shape.x; x++, i++) if (segments.some((s) => distToSegment({ x, y, z }, s) <= r)) m[i] = 1;
  return m;
}

const at = (shape: Vec3, x: number, y: number, z: number) => (Math.round(z) * shape.y + Math.round(y)) * shape.x + Math.round(x);

/** Checks shared by every skeleton: a forest with parents first, nodes inside the mask. */
function expectValid(s: Skeleton, mask: Uint8Array, shape: Vec3) {
  s.nodes.forEach((n, i) => {
    expect(Number.isInteger(n.parent)).toBe(true);
    expect(n.parent).toBeGreaterThanOrEqual(-1);
    expect(n.parent).toBeLessThan(i);
    expect(n.radius).toBeGreaterThan(0);
    expect(mask[at(shape, n.x, n.y, n.z)]).toBe(1);
  });
}

function stats(s: Skeleton) {
  const children = new Array<number>(s.nodes.length).fill(0);
  for (const n of s.nodes) if (n.parent >= 0) children[n.parent]!++;
  let length = 0;
  for (const n of s.nodes) {
    if (n.parent < 0) continue;
    const p = s.nodes[n.parent]!;
    length += Math.hypot(n.x - p.x, n.y - p.y, n.z - p.z);
  }
  return {
    roots: s.nodes.filter((n) => n.parent < 0).length,
    branchPoints: children.filter((c) => c > 1).length,
    // ends: leaves plus roots with a single child
    ends: children.filter((c, i) => c === 0 || (c === 1 && s.nodes[i]!.parent < 0)).length,
    length,
  };
}

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
      const v = stack.pop()!;
      const x = v % shape.x;
      const y = Math.floor(v / shape.x) % shape.y;
      const z = Math.floor(v / (shape.x * shape.y));
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const X = x + dx;
            const Y = y + dy;
            const Z = z + dz;
            if (X < 0 || Y < 0 || Z < 0 || X >= shape.x || Y >= shape.y || Z >= shape.z) continue;
            const u = (Z * shape.y + Y) * shape.x + X;
            if (mask[u] && !seen[u]) {
              seen[u] = 1;
              stack.push(u);
            }
          }
    }
  }
  return count;
}

describe("skeletonize on synthetic tubes", () => {
  it("straight tube: one chain, right length, radius and spacing", () => {
    const shape = { x: 120, y: 24, z: 24 };
    const mask = tubes(shape, [[{ x: 10, y: 12, z: 12 }, { x: 110, y: 12, z: 12 }]], 4);
    const s = skeletonize(mask, shape);
    expectValid(s, mask, shape);
    const st = stats(s);
    expect(st.roots).toBe(1);
    expect(st.branchPoints).toBe(0);
    expect(s.nodes.length).toBeGreaterThanOrEqual(20);
    expect(s.nodes.length).toBeLessThanOrEqual(35);
    expect(st.length).toBeGreaterThan(100 * 0.85);
    expect(st.length).toBeLessThan(100 * 1.15);
    // Away from the caps, nodes sit on the axis with the tube's radius.
    for (const n of s.nodes.filter((n) => n.x > 20 && n.x < 100)) {
      expect(Math.hypot(n.y - 12, n.z - 12)).toBeLessThan(1);
      expect(n.radius).toBeGreaterThan(3);
      expect(n.radius).toBeLessThan(5.5);
    }
    // Root at one end of the tube.
    expect(Math.min(s.nodes[0]!.x, 120 - s.nodes[0]!.x)).toBeLessThan(15);
  });

  it("Y-shaped tube: one branch point, three ends, length within 15 %", () => {
    const shape = { x: 120, y: 120, z: 24 };
    const j = { x: 60, y: 60, z: 12 };
    const segs: Segment[] = [
      [{ x: 10, y: 60, z: 12 }, j],
      [j, { x: 110, y: 30, z: 12 }],
      [j, { x: 110, y: 90, z: 12 }],
    ];
    const mask = tubes(shape, segs, 4);
    const s = skeletonize(mask, shape);
    expectValid(s, mask, shape);
    const st = stats(s);
    const trueLength = segs.reduce((a, [p, q]) => a + Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z), 0);
    expect(st.roots).toBe(1);
    expect(st.branchPoints).toBe(1);
    expect(st.ends).toBe(3);
    expect(s.nodes.length).toBeGreaterThanOrEqual(25);
    expect(s.nodes.length).toBeLessThanOrEqual(60);
    expect(st.length).toBeGreaterThan(trueLength * 0.85);
    expect(st.length).toBeLessThan(trueLength * 1.15);
  });

  it("a given root becomes the first node, and a larger step gives fewer nodes", () => {
    const shape = { x: 120, y: 24, z: 24 };
    const mask = tubes(shape, [[{ x: 10, y: 12, z: 12 }, { x: 110, y: 12, z: 12 }]], 4);
    // Root in the middle of the tube: two chains leave it.
    const s = skeletonize(mask, shape, { root: { x: 60, y: 12, z: 12 } });
    expectValid(s, mask, shape);
    expect(s.nodes[0]!.parent).toBe(-1);
    expect(Math.abs(s.nodes[0]!.x - 60)).toBeLessThan(4);
    expect(s.nodes.filter((n) => n.parent === 0)).toHaveLength(2);
    // Root outside the mask snaps to the nearest mask voxel (the x=110 end).
    const far = skeletonize(mask, shape, { root: { x: 119, y: 0, z: 0 } });
    expect(far.nodes[0]!.x).toBeGreaterThan(100);
    const coarse = skeletonize(mask, shape, { step: 8 });
    expect(coarse.nodes.length).toBeLessThan(s.nodes.length * 0.7);
    expect(stats(coarse).length).toBeGreaterThan(80);
  });

  it("disconnected pieces become separate trees; the rooted one first", () => {
    const shape = { x: 60, y: 40, z: 20 };
    const mask = tubes(
      shape,
      [
        [{ x: 5, y: 8, z: 10 }, { x: 55, y: 8, z: 10 }],
        [{ x: 5, y: 30, z: 10 }, { x: 55, y: 30, z: 10 }],
      ],
      3,
    );
    mask[at(shape, 30, 19, 10)] = 1; // an isolated voxel
    const s = skeletonize(mask, shape, { root: { x: 30, y: 30, z: 10 } });
    expectValid(s, mask, shape);
    expect(stats(s).roots).toBe(3);
    expect(s.nodes[0]!.y).toBeCloseTo(30, 0);
    const single = s.nodes.find((n) => n.y === 19);
    expect(single).toMatchObject({ x: 30, y: 19, z: 10, parent: -1, radius: 0.5 });
  });

  it("pruning removes surface bumps but keeps real branches", () => {
    const shape = { x: 120, y: 40, z: 24 };
    const base = tubes(shape, [[{ x: 10, y: 20, z: 12 }, { x: 110, y: 20, z: 12 }]], 4);
    // A one-voxel-thin finger sticking `length` voxels out of the tube's side (surface at y = 24).
    const finger = (length: number) => {
      const mask = base.slice();
      for (let y = 24; y <= 24 + length; y++) mask[at(shape, 60, y, 12)] = 1;
      return mask;
    };
    const bump = finger(3);
    expect(stats(skeletonize(bump, shape, { prune: false })).branchPoints).toBe(1);
    expect(stats(skeletonize(bump, shape)).branchPoints).toBe(0);
    const branch = finger(12);
    const kept = skeletonize(branch, shape);
    expectValid(kept, branch, shape);
    expect(stats(kept).branchPoints).toBe(1);
    expect(Math.max(...kept.nodes.map((n) => n.y))).toBeGreaterThan(32);
  });

  it("empty mask gives no nodes; wrong size throws", () => {
    expect(skeletonize(new Uint8Array(27), { x: 3, y: 3, z: 3 }).nodes).toEqual([]);
    expect(() => skeletonize(new Uint8Array(5), { x: 3, y: 3, z: 3 })).toThrow();
  });

  it("property: random blobs give a valid forest with one tree per 26-connected component", () => {
    const shape = { x: 16, y: 14, z: 12 };
    const ball = fc.record({
      x: fc.integer({ min: 0, max: 15 }),
      y: fc.integer({ min: 0, max: 13 }),
      z: fc.integer({ min: 0, max: 11 }),
      r: fc.double({ min: 0, max: 4, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(ball, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (balls, step, prune) => {
        const mask = new Uint8Array(shape.x * shape.y * shape.z);
        let i = 0;
        for (let z = 0; z < shape.z; z++)
          for (let y = 0; y < shape.y; y++)
            for (let x = 0; x < shape.x; x++, i++)
              if (balls.some((b) => (x - b.x) ** 2 + (y - b.y) ** 2 + (z - b.z) ** 2 <= b.r * b.r)) mask[i] = 1;
        const s = skeletonize(mask, shape, { step, prune });
        expectValid(s, mask, shape);
        expect(stats(s).roots).toBe(components(mask, shape));
      }),
      { numRuns: 60 },
    );
  });
});

describe("skeletonize on NeuroProof ground truth", () => {
  it("the largest body gives a valid branching tree inside its mask", () => {
    const gt = loadSampleLabels("ground-truth");
    const { id, size } = largestLabel(gt);
    const mask = new Uint8Array(gt.length);
    for (let i = 0; i < gt.length; i++) mask[i] = gt[i] === id ? 1 : 0;
    const s = skeletonize(mask, SAMPLE_SHAPE);
    expectValid(s, mask, SAMPLE_SHAPE);
    const st = stats(s);
    expect(size).toBeGreaterThan(100_000);
    expect(st.roots).toBeGreaterThanOrEqual(1);
    expect(st.branchPoints).toBeGreaterThanOrEqual(2);
    // Nodes spread through the body rather than bunching: at least one per ~50k voxels.
    expect(s.nodes.length).toBeGreaterThan(size / 50_000);
  });
});
