import { describe, expect, it } from "vitest";
import { NORM_MEAN, NORM_STD, type InferTile } from "@/core/model-io";
import type { SuggestRequest } from "./protocol";
import { SuggestEngine } from "./suggest-engine";

// A 16×16×6 cube. Supervoxel 1 (left) is selected; 2 (right top) joins it through a faint line;
// 3 (right bottom) is behind a membrane. The "model" returns the centre slice's grey / 255: the grey
// image is the boundary map, so each test draws the boundaries it wants.
const W = 16;
const H = 16;
const D = 6;

function labelsSlice(): Uint32Array {
  const l = new Uint32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) l[y * W + x] = x < 8 ? 1 : y < 8 ? 2 : 3;
  return l;
}

function greySlice(): Uint8Array {
  const g = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const membrane = (x === 7 || x === 8) && y >= 8; // between 1 and 3
      const faint = (x === 7 || x === 8) && y < 8; // between 1 and 2
      g[y * W + x] = membrane ? 250 : faint ? 20 : 0;
    }
  }
  return g;
}

/** Centre channel back from normalised values to [0, 1]; counts calls. */
function greyModel(): { infer: InferTile; calls: () => number } {
  let calls = 0;
  const infer: InferTile = async (input, tileH, tileW) => {
    calls++;
    const plane = tileH * tileW;
    const out = new Float32Array(plane);
    for (let i = 0; i < plane; i++) out[i] = (input[plane + i]! * NORM_STD + NORM_MEAN) / 255;
    return out;
  };
  return { infer, calls: () => calls };
}

const request = (over: Partial<SuggestRequest> = {}): SuggestRequest => ({ type: "suggest", id: 1, z: 2, radius: 1, selected: [1], exclude: [], noSplit: [], ...over });

function engineWith(slices: number[], infer: InferTile) {
  const e = new SuggestEngine({ width: W, height: H, depth: D }, infer, { suggest: { minContact: 2, groupMinContact: 2 } });
  e.addSlices(slices.map((z) => ({ z, grey: greySlice(), labels: labelsSlice() })));
  return e;
}

describe("SuggestEngine", () => {
  it("ranks the neighbour across the faint line and not the one behind the membrane", async () => {
    const m = greyModel();
    const e = engineWith([0, 1, 2, 3, 4, 5], m.infer);
    const r = (await e.answer(request()))!;
    expect(r.items.map((i) => i.supervoxel)).toEqual([2]);
    // Calibrated (core/suggestions.ts): open contact, but 2 spends half its surface on the membrane with 3.
    expect(r.items[0]!.probability).toBeGreaterThan(0.6);
    expect([r.zFrom, r.zTo]).toEqual([1, 3]);
    expect(r.inferred).toBe(3);
    expect(r.split).toBeNull();
  });

  it("caches boundary maps: a second answer runs no model, a wider one only the new slices", async () => {
    const m = greyModel();
    const e = engineWith([0, 1, 2, 3, 4, 5], m.infer);
    await e.answer(request());
    expect(m.calls()).toBe(3);
    expect((await e.answer(request({ id: 2 })))!.inferred).toBe(0);
    const wide = (await e.answer(request({ id: 3, radius: 2 })))!;
    expect(wide.inferred).toBe(2);
    expect([wide.zFrom, wide.zTo]).toEqual([0, 4]);
    expect(e.cachedSlices).toBe(5);
  });

  it("uses only slices whose model context has arrived, and answers empty where the current one has not", async () => {
    const e = engineWith([1, 2, 3], greyModel().infer);
    // Slice 1 needs 0, 1, 2; slice 3 needs 2, 3, 4: only slice 2 has its context.
    expect(e.available(2)).toBe(true);
    expect(e.available(1)).toBe(false);
    const r = (await e.answer(request({ radius: 3 })))!;
    expect([r.zFrom, r.zTo]).toEqual([2, 2]);
    expect(r.items.map((i) => i.supervoxel)).toEqual([2]);
    const none = (await e.answer(request({ z: 5 })))!;
    expect(none.items).toEqual([]);
    expect(none.inferred).toBe(0);
  });

  it("stops when a newer request is waiting", async () => {
    const m = greyModel();
    const e = engineWith([0, 1, 2, 3, 4, 5], m.infer);
    let asked = 0;
    const r = await e.answer(request({ radius: 2 }), () => ++asked >= 2);
    expect(r).toBeNull();
    expect(m.calls()).toBe(2);
  });

  it("excludes dismissed and selected supervoxels", async () => {
    const e = engineWith([0, 1, 2, 3, 4, 5], greyModel().infer);
    expect((await e.answer(request({ exclude: [2] })))!.items).toEqual([]);
    // With 1 and 2 selected, 3's contact is half membrane (with 1), half open (with 2), and all of
    // its surface: suggested, less surely than a wholly open contact, and never one of the selected.
    const both = (await e.answer(request({ selected: [1, 2] })))!.items;
    expect(both.map((i) => i.supervoxel)).toEqual([3]);
    expect(both[0]!.probability).toBeGreaterThan(0.5);
    expect(both[0]!.probability).toBeLessThan(0.95);
  });

  it("offers to split a selected supervoxel that a membrane cuts, with the side cut off as a mask", async () => {
    // One supervoxel 5 over the whole slice, a membrane through x = 8: it merges two cells.
    const labels = new Uint32Array(W * H).fill(5);
    const grey = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) grey[y * W + 8] = 255;
    const e = new SuggestEngine({ width: W, height: H, depth: D }, greyModel().infer, { split: { minSideVoxels: 20, minSideFraction: 0.2 } });
    e.addSlices([0, 1, 2, 3, 4, 5].map((z) => ({ z, grey, labels })));
    const r = (await e.answer(request({ selected: [5] })))!;
    expect(r.split).not.toBeNull();
    const s = r.split!;
    expect(s.supervoxel).toBe(5);
    expect([s.zFrom, s.zTo]).toEqual([1, 3]);
    expect(s.keepVoxels + s.dropVoxels).toBe(W * H * 3);
    expect(s.dropMask.length).toBe(W * H * 3);
    // The two sides lie on either side of the membrane, and the mask marks exactly the dropped one.
    expect(Math.sign(s.keep.x - 8)).not.toBe(Math.sign(s.drop.x - 8));
    let dropped = 0;
    for (const v of s.dropMask) dropped += v;
    expect(dropped).toBe(s.dropVoxels);
    const dropLeft = s.drop.x < 8;
    for (let k = 0; k < 3; k++) for (let y = 0; y < H; y++) for (const x of [0, 15]) expect(s.dropMask[(k * H + y) * W + x]).toBe((x < 8) === dropLeft ? 1 : 0);
    // Dismissed (noSplit): no offer.
    expect((await e.answer(request({ id: 2, selected: [5], noSplit: [5] })))!.split).toBeNull();
  });

  it("rejects slices that do not fit the cube", () => {
    const e = new SuggestEngine({ width: W, height: H, depth: D }, greyModel().infer);
    expect(() => e.addSlices([{ z: 6, grey: greySlice(), labels: labelsSlice() }])).toThrow(/outside the cube/);
    expect(() => e.addSlices([{ z: 0, grey: new Uint8Array(3), labels: labelsSlice() }])).toThrow(/wrong size/);
  });
});
