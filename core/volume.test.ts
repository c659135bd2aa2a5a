import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Box,
  boxContains,
  boxSize,
  boxVolume,
  chunkBox,
  chunkKey,
  chunksForBox,
  clampBox,
  cubeAround,
  levelExtent,
  parseChunkKey,
  pyramidLevels,
  tileCount,
} from "./volume";

const shape = { x: 250, y: 250, z: 250 };
const box = (x0: number, y0: number, z0: number, x1: number, y1: number, z1: number): Box => ({ x0, y0, z0, x1, y1, z1 });

describe("boxes", () => {
  it("boxSize and boxVolume, never negative", () => {
    expect(boxSize(box(1, 2, 3, 4, 6, 8))).toEqual({ x: 3, y: 4, z: 5 });
    expect(boxVolume(box(1, 2, 3, 4, 6, 8))).toBe(60);
    expect(boxSize(box(5, 0, 0, 2, 1, 1))).toEqual({ x: 0, y: 1, z: 1 });
    expect(boxVolume(box(5, 0, 0, 2, 1, 1))).toBe(0);
  });

  it("boxContains is half-open", () => {
    const b = box(0, 0, 0, 2, 2, 2);
    expect(boxContains(b, 0, 0, 0)).toBe(true);
    expect(boxContains(b, 1, 1, 1)).toBe(true);
    expect(boxContains(b, 2, 1, 1)).toBe(false);
    expect(boxContains(b, 1, -1, 1)).toBe(false);
  });

  it("clampBox intersects with the volume and never inverts", () => {
    expect(clampBox(box(-5, 10, 240, 20, 300, 260), shape)).toEqual(box(0, 10, 240, 20, 250, 250));
    const outside = clampBox(box(300, 0, 0, 400, 10, 10), shape);
    expect(outside.x0).toBe(250);
    expect(outside.x1).toBe(250);
    expect(boxVolume(outside)).toBe(0);
  });
});

describe("cubeAround", () => {
  it("centres the cube when it fits", () => {
    expect(cubeAround({ x: 100, y: 100, z: 100 }, 64, shape)).toEqual(box(68, 68, 68, 132, 132, 132));
  });

  it("slides the cube inside at the edges without shrinking", () => {
    expect(cubeAround({ x: 3, y: 248, z: 125 }, 64, shape)).toEqual(box(0, 186, 93, 64, 250, 157));
  });

  it("shrinks only along axes smaller than the cube", () => {
    expect(cubeAround({ x: 10, y: 10, z: 10 }, 64, { x: 100, y: 30, z: 100 })).toEqual(box(0, 0, 0, 64, 30, 64));
  });

  it("property: inside the volume, full size where possible, contains the centre", () => {
    fc.assert(
      fc.property(
        fc.record({ x: fc.integer({ min: 1, max: 300 }), y: fc.integer({ min: 1, max: 300 }), z: fc.integer({ min: 1, max: 300 }) }),
        fc.integer({ min: 1, max: 256 }),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        (sh, size, [fx, fy, fz]) => {
          const c = { x: Math.floor(fx * (sh.x - 1)), y: Math.floor(fy * (sh.y - 1)), z: Math.floor(fz * (sh.z - 1)) };
          const b = cubeAround(c, size, sh);
          expect(clampBox(b, sh)).toEqual(b);
          expect(boxSize(b)).toEqual({ x: Math.min(size, sh.x), y: Math.min(size, sh.y), z: Math.min(size, sh.z) });
          expect(boxContains(b, c.x, c.y, c.z)).toBe(true);
        },
      ),
    );
  });
});

describe("chunks", () => {
  it("chunksForBox lists overlapping chunks, z slowest", () => {
    expect(chunksForBox(box(60, 0, 0, 70, 10, 10), 64)).toEqual([
      { cx: 0, cy: 0, cz: 0 },
      { cx: 1, cy: 0, cz: 0 },
    ]);
    expect(chunksForBox(box(0, 0, 63, 1, 1, 65), 64)).toEqual([
      { cx: 0, cy: 0, cz: 0 },
      { cx: 0, cy: 0, cz: 1 },
    ]);
    expect(chunksForBox(box(64, 64, 64, 128, 128, 128), 64)).toEqual([{ cx: 1, cy: 1, cz: 1 }]);
    expect(chunksForBox(box(5, 5, 5, 5, 10, 10), 64)).toEqual([]);
    expect(chunksForBox(box(0, 0, 0, 250, 250, 250), 64)).toHaveLength(64);
  });

  it("chunkBox clips edge chunks", () => {
    expect(chunkBox(0, 0, 0, 64, shape)).toEqual(box(0, 0, 0, 64, 64, 64));
    expect(chunkBox(3, 1, 3, 64, shape)).toEqual(box(192, 64, 192, 250, 128, 250));
  });

  it("property: the chunks of a box tile exactly the box's voxels", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 4, max: 32 }),
        (x0, y0, z0, w, h, d, cs) => {
          const sh = { x: 100, y: 100, z: 100 };
          const b = clampBox(box(x0, y0, z0, x0 + w, y0 + h, z0 + d), sh);
          let covered = 0;
          for (const { cx, cy, cz } of chunksForBox(b, cs)) {
            const c = chunkBox(cx, cy, cz, cs, sh);
            const v = boxVolume(
              box(Math.max(c.x0, b.x0), Math.max(c.y0, b.y0), Math.max(c.z0, b.z0), Math.min(c.x1, b.x1), Math.min(c.y1, b.y1), Math.min(c.z1, b.z1)),
            );
            expect(v).toBeGreaterThan(0); // no chunk listed that misses the box
            covered += v;
          }
          expect(covered).toBe(boxVolume(b));
        },
      ),
    );
  });

  it("chunkKey and parseChunkKey round-trip; junk parses to null", () => {
    expect(chunkKey(1, 22, 3)).toBe("1_22_3");
    expect(parseChunkKey("1_22_3")).toEqual({ cx: 1, cy: 22, cz: 3 });
    for (const bad of ["", "1_2", "1_2_3_4", "-1_2_3", "a_b_c", "1_2_3.u32", "../1_2_3", " 1_2_3"]) {
      expect(parseChunkKey(bad)).toBeNull();
    }
    fc.assert(
      fc.property(fc.nat(100000), fc.nat(100000), fc.nat(100000), (a, b, c) => {
        expect(parseChunkKey(chunkKey(a, b, c))).toEqual({ cx: a, cy: b, cz: c });
      }),
    );
  });
});

describe("tile pyramid", () => {
  it("levelExtent and tileCount", () => {
    expect(levelExtent(250, 0)).toBe(250);
    expect(levelExtent(250, 1)).toBe(125);
    expect(levelExtent(251, 1)).toBe(126);
    expect(levelExtent(3, 5)).toBe(1);
    expect(tileCount(250, 256, 0)).toBe(1);
    expect(tileCount(1000, 256, 0)).toBe(4);
    expect(tileCount(1000, 256, 1)).toBe(2);
    expect(tileCount(1000, 256, 2)).toBe(1);
    expect(tileCount(257, 256, 0)).toBe(2);
  });

  it("pyramidLevels stops at the first level that fits one tile", () => {
    expect(pyramidLevels(250, 250, 256)).toBe(1);
    expect(pyramidLevels(256, 256, 256)).toBe(1);
    expect(pyramidLevels(257, 100, 256)).toBe(2);
    expect(pyramidLevels(512, 512, 256)).toBe(2);
    expect(pyramidLevels(100, 2048, 256)).toBe(4);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 16, max: 1024 }), (w, h, t) => {
        const n = pyramidLevels(w, h, t);
        expect(tileCount(w, t, n - 1)).toBe(1);
        expect(tileCount(h, t, n - 1)).toBe(1);
        if (n > 1) expect(tileCount(w, t, n - 2) * tileCount(h, t, n - 2)).toBeGreaterThan(1);
      }),
    );
  });
});
