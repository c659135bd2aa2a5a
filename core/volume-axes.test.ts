import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addResliced, resliced, reslicedDims, type SliceAxis } from "./volume-axes";

describe("reslicing a volume along x, y or z", () => {
  const d = { x: 4, y: 3, z: 2 };
  const a = Uint32Array.from({ length: 24 }, (_, i) => i); // a[z][y][x] = (z * 3 + y) * 4 + x

  it("puts the chosen axis outermost", () => {
    const y = resliced(a, d, "y");
    expect(reslicedDims(d, "y")).toEqual({ x: 4, y: 2, z: 3 });
    // out[y][z][x]: y = 1, z = 1, x = 2 → a[1][1][2] = 18
    expect(y[(1 * 2 + 1) * 4 + 2]).toBe(18);
    const x = resliced(a, d, "x");
    expect(reslicedDims(d, "x")).toEqual({ x: 3, y: 2, z: 4 });
    // out[x][z][y]: x = 3, z = 0, y = 2 → a[0][2][3] = 11
    expect(x[(3 * 2 + 0) * 3 + 2]).toBe(11);
    expect(resliced(a, d, "z")).toEqual(a);
  });

  it("adds back into z,y,x order exactly (any dims, any axis)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom<SliceAxis>("x", "y", "z"), (X, Y, Z, axis) => {
        const dims = { x: X, y: Y, z: Z };
        const v = Uint8Array.from({ length: X * Y * Z }, (_, i) => (i * 37) % 251);
        const acc = new Uint16Array(v.length);
        addResliced(acc, resliced(v, dims, axis), dims, axis);
        expect(Array.from(acc)).toEqual(Array.from(v));
      }),
    );
  });

  it("refuses a volume that does not fit its dims", () => {
    expect(() => resliced(new Uint8Array(5), d, "x")).toThrow(/24/);
    expect(() => addResliced(new Uint16Array(24), new Uint8Array(23), d, "y")).toThrow(/differ/);
  });
});
