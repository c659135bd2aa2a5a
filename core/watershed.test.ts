import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { connectedComponents, distanceSeeds, distanceTransformSq, watershed } from "./watershed";

const shape = (x: number, y: number, z: number) => ({ x, y, z });

/** Brute-force squared distance to the nearest boundary voxel. */
function bruteEdt(mask: Uint8Array, s: { x: number; y: number; z: number }): number[] {
  const pts: [number, number, number][] = [];
  for (let z = 0, i = 0; z < s.z; z++) for (let y = 0; y < s.y; y++) for (let x = 0; x < s.x; x++, i++) if (mask[i]) pts.push([x, y, z]);
  const out: number[] = [];
  for (let z = 0; z < s.z; z++)
    for (let y = 0; y < s.y; y++)
      for (let x = 0; x < s.x; x++) {
        let best = 1e20;
        for (const [a, b, c] of pts) best = Math.min(best, (a - x) ** 2 + (b - y) ** 2 + (c - z) ** 2);
        out.push(best);
      }
  return out;
}

describe("distanceTransformSq", () => {
  it("equals brute force on random masks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.boolean(), { minLength: 7 * 6 * 5, maxLength: 7 * 6 * 5 }),
        (sx, sy, sz, bits) => {
          const s = shape(sx, sy, sz);
          const mask = Uint8Array.from(bits.slice(0, sx * sy * sz).map((b) => (b ? 1 : 0)));
          const inf = (v: number) => (v >= 1e19 ? Infinity : v); // "no boundary anywhere" is ~1e20 (float32)
          expect(Array.from(distanceTransformSq(mask, s), inf)).toEqual(bruteEdt(mask, s).map(inf));
        },
      ),
      { numRuns: 150 },
    );
  });
  it("hand example: one boundary voxel in a 5-long line", () => {
    expect(Array.from(distanceTransformSq(Uint8Array.from([0, 0, 1, 0, 0]), shape(5, 1, 1)))).toEqual([4, 1, 0, 1, 4]);
  });
});

describe("connectedComponents", () => {
  it("labels 6-connected components in scan order (diagonals do not connect)", () => {
    // 4×3 slice
    const m = Uint8Array.from([
      1, 1, 0, 1,
      0, 0, 0, 1,
      0, 1, 0, 0,
    ]);
    const { labels, count } = connectedComponents(m, shape(4, 3, 1));
    expect(count).toBe(3);
    expect(Array.from(labels)).toEqual([1, 1, 0, 2, 0, 0, 0, 2, 0, 3, 0, 0]);
  });
  it("connects through z", () => {
    const m = Uint8Array.from([1, 0, 0, 0, /* z=1 */ 1, 0, 0, 1]);
    const { labels, count } = connectedComponents(m, shape(2, 2, 2));
    expect(count).toBe(2);
    expect(labels[0]).toBe(labels[4]);
    expect(labels[7]).toBe(2);
  });
});

describe("watershed", () => {
  it("floods lowest first, FIFO among equals, the ridge going to the first arrival", () => {
    const elev = Uint8Array.from([0, 1, 5, 1, 0]);
    const seeds = Uint32Array.from([1, 0, 0, 0, 2]);
    expect(Array.from(watershed(elev, seeds, shape(5, 1, 1)))).toEqual([1, 1, 1, 2, 2]);
    // seeds untouched
    expect(Array.from(seeds)).toEqual([1, 0, 0, 0, 2]);
  });
  it("labels every voxel with a seed id, and each label region is connected and holds its seed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6 * 5 * 4, maxLength: 6 * 5 * 4 }), fc.array(fc.nat(119), { minLength: 1, maxLength: 6 }), (vals, seedPos) => {
        const s = shape(6, 5, 4);
        const elev = Uint8Array.from(vals);
        const seeds = new Uint32Array(120);
        seedPos.forEach((p, k) => (seeds[p] = k + 1));
        const l = watershed(elev, seeds, s);
        const ids = new Set(Array.from(seeds).filter((v) => v > 0));
        for (let i = 0; i < 120; i++) expect(ids.has(l[i]!)).toBe(true);
        for (const id of ids) {
          const m = Uint8Array.from(l, (v) => (v === id ? 1 : 0));
          expect(connectedComponents(m, s).count).toBe(1);
          for (let i = 0; i < 120; i++) if (seeds[i] === id) expect(l[i]).toBe(id);
        }
      }),
      { numRuns: 100 },
    );
  });
  it("gives all zeros without seeds and checks sizes", () => {
    expect(Array.from(watershed(new Uint8Array(4), new Uint32Array(4), shape(2, 2, 1)))).toEqual([0, 0, 0, 0]);
    expect(() => watershed(new Uint8Array(3), new Uint32Array(4), shape(2, 2, 1))).toThrow(/elevation/);
  });
});

describe("distanceSeeds", () => {
  /** Two balls of radius 6 whose centres are 10 apart, a boundary shell around them but NOT between them. */
  function dumbbell() {
    const s = shape(30, 18, 18);
    const b = new Uint8Array(s.x * s.y * s.z);
    const centres = [
      [9, 9, 9],
      [19, 9, 9],
    ];
    for (let z = 0, i = 0; z < s.z; z++)
      for (let y = 0; y < s.y; y++)
        for (let x = 0; x < s.x; x++, i++) {
          const inside = centres.some(([cx, cy, cz]) => (x - cx!) ** 2 + (y - cy!) ** 2 + (z - cz!) ** 2 <= 36);
          b[i] = inside ? 20 : 230;
        }
    return { s, b };
  }
  it("separates two cells touching through a gap (one seed each), then the watershed splits them at the neck", () => {
    const { s, b } = dumbbell();
    const { seeds, count } = distanceSeeds(b, s, { threshold: 128, minSeedDistance: 2 });
    expect(count).toBe(2);
    const at = (x: number, y: number, z: number) => (z * s.y + y) * s.x + x;
    expect(seeds[at(9, 9, 9)]).toBeGreaterThan(0);
    expect(seeds[at(19, 9, 9)]).toBeGreaterThan(0);
    expect(seeds[at(9, 9, 9)]).not.toBe(seeds[at(19, 9, 9)]);
    // a single threshold component would have merged them
    const interior = Uint8Array.from(b, (v) => (v < 128 ? 1 : 0));
    expect(connectedComponents(interior, s).count).toBe(1);
    const l = watershed(b, seeds, s);
    expect(l[at(6, 9, 9)]).toBe(seeds[at(9, 9, 9)]);
    expect(l[at(22, 9, 9)]).toBe(seeds[at(19, 9, 9)]);
  });
  it("gives a thin interior component (no voxel >= minSeedDistance) a seed of its own", () => {
    const s = shape(7, 3, 1);
    // a 1-voxel-wide interior line at y=1
    const b = Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255]);
    const { seeds, count } = distanceSeeds(b, s, { minSeedDistance: 2 });
    expect(count).toBe(1);
    expect(Array.from(seeds).filter((v) => v === 1).length).toBe(1);
  });
});
