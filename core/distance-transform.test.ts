import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distanceTransform, squaredDistanceTransform } from "./distance-transform";
import type { Vec3 } from "./volume";

/** Brute force: squared distance to the nearest background voxel, the outside counting as background. */
function bruteForce(mask: Uint8Array, s: Vec3, vs: Vec3): Float64Array {
  const out = new Float64Array(mask.length);
  for (let z = 0, i = 0; z < s.z; z++)
    for (let y = 0; y < s.y; y++)
      for (let x = 0; x < s.x; x++, i++) {
        if (!mask[i]) continue;
        // Nearest outside voxel: one step past the nearest face.
        let best = Math.min((x + 1) * vs.x, (s.x - x) * vs.x, (y + 1) * vs.y, (s.y - y) * vs.y, (z + 1) * vs.z, (s.z - z) * vs.z) ** 2;
        for (let Z = 0, j = 0; Z < s.z; Z++)
          for (let Y = 0; Y < s.y; Y++)
            for (let X = 0; X < s.x; X++, j++)
              if (!mask[j]) best = Math.min(best, ((X - x) * vs.x) ** 2 + ((Y - y) * vs.y) ** 2 + ((Z - z) * vs.z) ** 2);
        out[i] = best;
      }
  return out;
}

describe("distance transform", () => {
  it("a single background voxel in a full block: exact distances with anisotropic voxels", () => {
    const s = { x: 9, y: 9, z: 5 };
    const vs = { x: 4, y: 4, z: 40 };
    const mask = new Uint8Array(s.x * s.y * s.z).fill(1);
    mask[(2 * s.y + 4) * s.x + 4] = 0;
    const d = distanceTransform(mask, s, vs);
    expect(d[(2 * s.y + 4) * s.x + 4]).toBe(0);
    expect(d[(2 * s.y + 4) * s.x + 6]).toBeCloseTo(8, 5); // two voxels along x


  });

  it("property: equals brute force on random masks and voxel sizes", () => {
    fc.assert(
      fc.property(
        fc.record({ x: fc.integer({ min: 1, max: 7 }), y: fc.integer({ min: 1, max: 7 }), z: fc.integer({ min: 1, max: 6 }) }),
        fc.record({ x: fc.integer({ min: 1, max: 10 }), y: fc.integer({ min: 1, max: 10 }), z: fc.integer({ min: 1, max: 50 }) }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.3, max: 0.95, noNaN: true }),
        (s, vs, seed, density) => {
          let r = seed || 1;
          const mask = new Uint8Array(s.x * s.y * s.z).map(() => {
            r = (r * 48271) % 2147483647;
            return r / 2147483647 < density ? 1 : 0;
          });
          const got = squaredDistanceTransform(mask, s, vs);
          const want = bruteForce(mask, s, vs);
          for (let i = 0; i < mask.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 2);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("refuses a mask of the wrong size", () => {
    expect(() => squaredDistanceTransform(new Uint8Array(3), { x: 2, y: 2, z: 2 })).toThrow(/shape needs 8/);
  });
});
