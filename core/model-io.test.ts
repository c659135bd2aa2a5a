import { describe, expect, it } from "vitest";
import {
  blendTile,
  contextIndices,
  cropTile,
  DEFAULT_OVERLAP,
  finishBlend,
  MODEL_CONTEXT,
  MODEL_STRIDE,
  mirrorIndex,
  NORM_MEAN,
  NORM_STD,
  postprocess,
  predictPlane,
  preprocessSlices,
  probabilityToByte,
  tilePlan,
} from "./model-io";

describe("contextIndices", () => {
  it("reads z-1, z, z+1 and clamps at the ends", () => {
    expect(MODEL_CONTEXT).toBe(3);
    expect(contextIndices(5, 10)).toEqual([4, 5, 6]);
    expect(contextIndices(0, 10)).toEqual([0, 0, 1]);
    expect(contextIndices(9, 10)).toEqual([8, 9, 9]);
    expect(contextIndices(0, 1)).toEqual([0, 0, 0]);
    expect(() => contextIndices(10, 10)).toThrow(/outside/);
  });
});

describe("preprocessSlices", () => {
  it("normalises channel-major with the fixed constants", () => {
    const a = Uint8Array.from([0, 128, 255, 160]);
    const b = Uint8Array.from([96, 128, 128, 128]);
    const c = Uint8Array.from([128, 128, 128, 64]);
    const out = preprocessSlices([a, b, c], 2, 2);
    expect(out.length).toBe(12);
    expect(out[0]).toBeCloseTo((0 - NORM_MEAN) / NORM_STD);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo((255 - 128) / 32);
    expect(out[3]).toBe(1);
    expect(out[4]).toBe(-1); // channel 1 starts at 4
    expect(out[11]).toBe(-2);
  });
  it("reuses the output array and checks sizes", () => {
    const s = new Uint8Array(6).fill(128);
    const out = new Float32Array(18).fill(7);
    expect(preprocessSlices([s, s, s], 3, 2, out)).toBe(out);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(() => preprocessSlices([s, s], 3, 2)).toThrow(/3 slices/);
    expect(() => preprocessSlices([s, s, new Uint8Array(5)], 3, 2)).toThrow(/slice 2/);
  });
});

describe("tilePlan", () => {
  it("one stride-rounded tile for an image smaller than a tile (the 250² sample)", () => {
    const p = tilePlan(250, 250, 256, 32);
    expect(p).toEqual({ tileW: 256, tileH: 256, overlap: 32, tiles: [{ x0: 0, y0: 0 }] });
    const q = tilePlan(100, 30, 256, 32);
    expect([q.tileW, q.tileH]).toEqual([104, 32]);
  });
  it("covers a large image with overlapping tiles, the last flush with the edge", () => {
    const p = tilePlan(600, 256, 256, 32);
    expect(p.tileW).toBe(256);
    expect(p.tiles.map((t) => t.x0)).toEqual([0, 224, 344]);
    expect(p.tiles.every((t) => t.y0 === 0)).toBe(true);
    // every pixel covered, neighbours overlap by >= overlap
    const xs = p.tiles.map((t) => t.x0);
    for (let i = 1; i < xs.length; i++) expect(xs[i - 1]! + 256 - xs[i]!).toBeGreaterThanOrEqual(32);
    expect(xs[xs.length - 1]! + 256).toBe(600);
  });
  it("rejects bad arguments", () => {
    expect(() => tilePlan(0, 10)).toThrow(/positive/);
    expect(() => tilePlan(10, 10, 100)).toThrow(new RegExp(`multiple of ${MODEL_STRIDE}`));
    expect(() => tilePlan(10, 10, 64, 64)).toThrow(/overlap/);
  });
});

describe("mirrorIndex / cropTile", () => {
  it("mirrors without repeating the edge", () => {
    expect([-2, -1, 0, 1, 2, 3, 4, 5].map((i) => mirrorIndex(i, 4))).toEqual([2, 1, 0, 1, 2, 3, 2, 1]);
    expect(mirrorIndex(-3, 1)).toBe(0);
  });
  it("copies the inside and mirrors the outside, per channel", () => {
    // 2 channels of 3×2: channel c pixel (x,y) = 100c + 10y + x
    const planes = Float32Array.from([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    const t = cropTile(planes, 2, 3, 2, 1, 0, 4, 3);
    expect(Array.from(t)).toEqual([
      1, 2, 1, 0, 11, 12, 11, 10, 1, 2, 1, 0, // channel 0: rows y=0,1, then mirrored y=2 -> 0
      101, 102, 101, 100, 111, 112, 111, 110, 101, 102, 101, 100,
    ]);
  });
});

describe("blendTile + finishBlend", () => {
  it("reproduces a constant map exactly and weights interior edges down", () => {
    const W = 600;
    const H = 40;
    const plan = tilePlan(W, H, 256, DEFAULT_OVERLAP);
    const acc = new Float32Array(W * H);
    const wsum = new Float32Array(W * H);
    const tileOut = new Float32Array(plan.tileW * plan.tileH).fill(0.25);
    for (const t of plan.tiles) blendTile(acc, wsum, W, H, tileOut, t, plan.tileW, plan.tileH, plan.overlap);
    const out = finishBlend(acc, wsum, new Float32Array(W * H));
    expect(out.every((v) => Math.abs(v - 0.25) < 1e-6)).toBe(true);
    expect(wsum[0]).toBe(1); // image border: full weight
    expect(wsum[224]).toBeLessThan(1 + 1e-6); // start of the 2nd tile: ramps of both tiles
  });
  it("blends two different tiles linearly over the overlap", () => {
    const W = 20;
    const acc = new Float32Array(W);
    const wsum = new Float32Array(W);
    const a = new Float32Array(16).fill(0);
    const b = new Float32Array(16).fill(1);
    blendTile(acc, wsum, W, 1, a, { x0: 0, y0: 0 }, 16, 1, 4);
    blendTile(acc, wsum, W, 1, b, { x0: 4, y0: 0 }, 16, 1, 4);
    const out = finishBlend(acc, wsum);
    expect(out[0]).toBe(0);
    expect(out[19]).toBe(1);
    // monotone increase across the overlap region
    for (let x = 1; x < W; x++) expect(out[x]!).toBeGreaterThanOrEqual(out[x - 1]!);
    expect(out[8]!).toBeGreaterThan(0);
    expect(out[8]!).toBeLessThan(1);
  });
});

describe("postprocess / probabilityToByte", () => {
  it("clamps to [0,1] and quantises", () => {
    expect(postprocess(-0.1)).toBe(0);
    expect(postprocess(1.5)).toBe(1);
    expect(postprocess(0.3)).toBe(0.3);
    expect(postprocess(Number.NaN)).toBe(1);
    expect(probabilityToByte(0.5)).toBe(128);
    expect(probabilityToByte(1)).toBe(255);
  });
});

describe("predictPlane", () => {
  it("runs every tile and stitches: an identity-like model returns the centre slice's normalised grey", async () => {
    const W = 300;
    const H = 20;
    const mk = (f: (i: number) => number) => Uint8Array.from({ length: W * H }, (_, i) => f(i));
    const centre = mk((i) => (i % W) % 200);
    const slices = [mk(() => 0), centre, mk(() => 255)];
    let calls = 0;
    const out = await predictPlane(
      async (input, th, tw) => {
        calls++;
        expect(input.length).toBe(3 * th * tw);
        const plane = th * tw;
        // "model": sigmoid-free map of channel 1 into [0,1]
        return Float32Array.from({ length: plane }, (_, i) => (input[plane + i]! * NORM_STD + NORM_MEAN) / 255);
      },
      slices,
      W,
      H,
      { tile: 256, overlap: 32 },
    );
    expect(calls).toBe(2);
    for (let i = 0; i < W * H; i += 37) expect(out[i]!).toBeCloseTo(centre[i]! / 255, 5);
  });
});
