// Review mode colours (after submitting): correct, missed and extra supervoxels.
import { describe, expect, it } from "vitest";
import { DEFAULT_OVERLAY_STYLE, overlayByteLength, renderSlice, REVIEW_COLORS } from "./overlay";

// 4×1 slice: labels 1 (seed), 2 (correct), 3 (missed), 4 (extra); grey 100 everywhere.
const input = {
  width: 4,
  height: 1,
  grey: new Uint8Array([100, 100, 100, 100]),
  labels: new Uint32Array([1, 2, 3, 4]),
  selected: new Set([1, 2, 4]),
  seeds: new Set([1]),
  hovered: 0,
  color: { r: 0, g: 0, b: 255 },
  style: { ...DEFAULT_OVERLAY_STYLE, seedStripe: 0 },
  scale: 3,
};
// Drawn at 3 output pixels per voxel: the middle pixel of a voxel is never an edge.
const pixel = (out: Uint8ClampedArray, x: number) => {
  const o = 4 * (1 * 12 + 3 * x + 1);
  return [out[o], out[o + 1], out[o + 2]];
};
const mix = (c: { r: number; g: number; b: number }) => [c.r, c.g, c.b].map((v) => Math.round(100 + (v - 100) * 0.5));

describe("review overlay", () => {
  it("colours correct, missed and extra supervoxels; seeds keep their look", () => {
    const plain = new Uint8ClampedArray(overlayByteLength(4, 1, 3));
    renderSlice(plain, input);
    const out = new Uint8ClampedArray(overlayByteLength(4, 1, 3));
    renderSlice(out, { ...input, review: { correct: new Set([2]), missed: new Set([3]), extra: new Set([4]) } });
    expect(pixel(out, 1)).toEqual(mix(REVIEW_COLORS.correct));
    expect(pixel(out, 2)).toEqual(mix(REVIEW_COLORS.missed));
    expect(pixel(out, 3)).toEqual(mix(REVIEW_COLORS.extra));
    expect(pixel(out, 0)).toEqual(pixel(plain, 0));
    // Without a review the same slice draws the plain selection.
    expect(pixel(plain, 2)).toEqual([100, 100, 100]);
  });
});
