import { describe, expect, it } from "vitest";
import { chunkBox, chunksForBox, type Box } from "@/core/volume";
import { copyChunkIntoCube, copyTileIntoCube, intersectBoxes, tilesForBox } from "./cube";

/** A synthetic volume whose label encodes its own coordinates, so any misplacement shows. */
const code = (x: number, y: number, z: number) => 1 + x + 1000 * y + 1_000_000 * z;

function chunkData(b: Box): Uint32Array {
  const sx = b.x1 - b.x0;
  const sy = b.y1 - b.y0;
  const sz = b.z1 - b.z0;
  const out = new Uint32Array(sx * sy * sz);
  for (let z = 0; z < sz; z++)
    for (let y = 0; y < sy; y++) for (let x = 0; x < sx; x++) out[(z * sy + y) * sx + x] = code(b.x0 + x, b.y0 + y, b.z0 + z);
  return out;
}

describe("intersectBoxes", () => {
  it("returns the overlap or null", () => {
    const a = { x0: 0, y0: 0, z0: 0, x1: 10, y1: 10, z1: 10 };
    expect(intersectBoxes(a, { x0: 5, y0: -3, z0: 9, x1: 20, y1: 4, z1: 11 })).toEqual({
      x0: 5, y0: 0, z0: 9, x1: 10, y1: 4, z1: 10,
    });
    expect(intersectBoxes(a, { x0: 10, y0: 0, z0: 0, x1: 12, y1: 1, z1: 1 })).toBeNull();
  });
});

describe("copyChunkIntoCube", () => {
  it("assembles a box crossing clipped edge chunks exactly", () => {
    const shape = { x: 25, y: 21, z: 19 }; // not multiples of the chunk size: edge chunks are clipped
    const chunkSize = 8;
    const box: Box = { x0: 5, y0: 3, z0: 6, x1: 25, y1: 20, z1: 19 };
    const sx = box.x1 - box.x0;
    const sy = box.y1 - box.y0;
    const sz = box.z1 - box.z0;
    const cube = new Uint32Array(sx * sy * sz);
    let copied = 0;
    for (const c of chunksForBox(box, chunkSize)) {
      const b = chunkBox(c.cx, c.cy, c.cz, chunkSize, shape);
      copied += copyChunkIntoCube(cube, box, chunkData(b), b);
    }
    expect(copied).toBe(cube.length);
    for (let z = 0; z < sz; z++)
      for (let y = 0; y < sy; y++)
        for (let x = 0; x < sx; x++)
          if (cube[(z * sy + y) * sx + x] !== code(box.x0 + x, box.y0 + y, box.z0 + z))
            throw new Error(`wrong voxel at ${x},${y},${z}`);
  });

  it("ignores a chunk outside the box and rejects a wrongly sized chunk", () => {
    const box: Box = { x0: 0, y0: 0, z0: 0, x1: 4, y1: 4, z1: 4 };
    const cube = new Uint32Array(64);
    const far: Box = { x0: 8, y0: 0, z0: 0, x1: 12, y1: 4, z1: 4 };
    expect(copyChunkIntoCube(cube, box, chunkData(far), far)).toBe(0);
    expect(() => copyChunkIntoCube(cube, box, new Uint32Array(5), box)).toThrow(/expected 4×4×4/);
  });
});

describe("tiles", () => {
  it("lists the level-0 tiles under a box", () => {
    expect(tilesForBox({ x0: 61, y0: 61, z0: 0, x1: 189, y1: 189, z1: 1 }, 256)).toEqual([
      { ty: 0, tx: 0, x0: 0, y0: 0 },
    ]);
    const t = tilesForBox({ x0: 250, y0: 10, z0: 0, x1: 520, y1: 260, z1: 1 }, 256);
    expect(t.map((r) => `${r.ty}_${r.tx}`)).toEqual(["0_0", "0_1", "0_2", "1_0", "1_1", "1_2"]);
  });

  it("copies the box part of a tile (grey or RGBA) into the slice", () => {
    const box: Box = { x0: 3, y0: 2, z0: 10, x1: 7, y1: 5, z1: 12 };
    const grey = new Uint8Array(4 * 3 * 2);
    // Tile at (4, 0), 5×4 RGBA; red = 10*y + x in tile coordinates.
    const w = 5;
    const h = 4;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba[(y * w + x) * 4] = 10 * y + x;
    const n = copyTileIntoCube(grey, box, 11, { x0: 4, y0: 0, width: w, height: h, channels: 4, pixels: rgba });
    expect(n).toBe(3 * 2); // x 4..6, y 2..3 (the tile ends at y 3)
    const slice = [...grey.subarray(12, 24)];
    // Row y=2: x=3 not covered (0), x=4..6 → tile x 0..2, tile y 2.
    expect(slice).toEqual([0, 20, 21, 22, 0, 30, 31, 32, 0, 0, 0, 0]);
    expect(copyTileIntoCube(grey, box, 12, { x0: 0, y0: 0, width: 1, height: 1, channels: 1, pixels: [9] })).toBe(0);
  });
});
