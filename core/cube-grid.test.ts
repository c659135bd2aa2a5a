import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { axisOrigins, cellBox, cellForPoint, cubeGrid, FACES, gridDims, intersectBoxes, neighbourCell } from "./cube-grid";

describe("axisOrigins", () => {
  it("tiles the 250-voxel sample with three 96-voxel cubes overlapping by at least 16", () => {
    expect(axisOrigins(250, 96, 16)).toEqual([0, 77, 154]);
  });

  it("gives one cube of the axis' length when the axis is shorter than a cube", () => {
    expect(axisOrigins(50, 96, 16)).toEqual([0]);
    expect(axisOrigins(96, 96, 16)).toEqual([0]);
    expect(axisOrigins(0, 96, 16)).toEqual([]);
  });

  it("rejects an overlap as large as the cube", () => {
    expect(() => axisOrigins(250, 32, 32)).toThrow(/overlap/);
  });

  it("property: covers the axis, starts at 0, ends at the edge, every overlap >= requested, fewest cubes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 2, max: 300 }), fc.integer({ min: 0, max: 299 }), (extent, size, overlapRaw) => {
        const overlap = overlapRaw % size;
        const o = axisOrigins(extent, size, overlap);
        const s = Math.min(size, extent);
        expect(o[0]).toBe(0);
        expect(o[o.length - 1]! + s).toBe(extent);
        for (let k = 1; k < o.length; k++) {
          expect(o[k]!).toBeGreaterThan(o[k - 1]!);
          expect(o[k - 1]! + s - o[k]!).toBeGreaterThanOrEqual(overlap);
        }
        // One cube fewer could not cover the axis with that overlap.
        if (o.length > 1) expect((o.length - 2) * (s - overlap) + s).toBeLessThan(extent);
      }),
    );
  });
});

describe("cubeGrid", () => {
  const grid = cubeGrid({ x: 250, y: 250, z: 120 });

  it("has cells per axis and boxes inside the volume", () => {
    expect(gridDims(grid)).toEqual({ x: 3, y: 3, z: 2 });
    expect(cellBox(grid, { gx: 2, gy: 0, gz: 1 })).toEqual({ x0: 154, y0: 0, z0: 24, x1: 250, y1: 96, z1: 120 });
    expect(() => cellBox(grid, { gx: 3, gy: 0, gz: 0 })).toThrow(/outside/);
  });

  it("places a point in the cube that holds it most centrally", () => {
    expect(cellForPoint(grid, { x: 10, y: 125, z: 50 })).toEqual({ gx: 0, gy: 1, gz: 0 });
    // x = 90 lies in cubes 0 (0..95) and 1 (77..172): nearer the middle of cube 1.
    expect(cellForPoint(grid, { x: 90, y: 0, z: 0 })!.gx).toBe(1);
    expect(cellForPoint(grid, { x: 250, y: 0, z: 0 })).toBeNull();
  });

  it("property: the chosen cell's box contains the point", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 249 }), fc.integer({ min: 0, max: 249 }), fc.integer({ min: 0, max: 119 }), (x, y, z) => {
        const b = cellBox(grid, cellForPoint(grid, { x, y, z })!);
        expect(x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 && z >= b.z0 && z < b.z1).toBe(true);
      }),
    );
  });

  it("names face neighbours, none beyond the edge; neighbours overlap", () => {
    const c = { gx: 0, gy: 1, gz: 1 };
    const ns = FACES.map((f) => neighbourCell(grid, c, f));
    expect(ns).toEqual([null, { gx: 1, gy: 1, gz: 1 }, { gx: 0, gy: 0, gz: 1 }, { gx: 0, gy: 2, gz: 1 }, { gx: 0, gy: 1, gz: 0 }, null]);
    const o = intersectBoxes(cellBox(grid, c), cellBox(grid, ns[1]!));
    expect(o.x1 - o.x0).toBe(19);
    expect(o.y1 - o.y0).toBe(96);
  });
});
