import { describe, expect, it } from "vitest";
import { DEFAULT_OVERLAY_STYLE, overlayByteLength, parseColor, renderSlice, type SliceInput } from "./overlay";

const RED = { r: 255, g: 0, b: 0 };
const noStripes = { ...DEFAULT_OVERLAY_STYLE, seedStripe: 0 };

function px(out: Uint8ClampedArray, w: number, x: number, y: number): number[] {
  const o = (y * w + x) * 4;
  return [out[o]!, out[o + 1]!, out[o + 2]!, out[o + 3]!];
}

function base(over: Partial<SliceInput> = {}): SliceInput {
  return {
    width: 4,
    height: 3,
    grey: new Uint8Array(12).fill(100),
    // Two supervoxels: 1 on the left two columns, 2 on the right two.
    labels: new Uint32Array([1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2]),
    selected: new Set<number>(),
    seeds: new Set<number>(),
    hovered: 0,
    color: RED,
    style: noStripes,
    ...over,
  };
}

describe("parseColor", () => {
  it("parses #rrggbb, rrggbb and #rgb", () => {
    expect(parseColor("#ff8000")).toEqual({ r: 255, g: 128, b: 0 });
    expect(parseColor("00ff00")).toEqual({ r: 0, g: 255, b: 0 });
    expect(parseColor("#0f0")).toEqual({ r: 0, g: 255, b: 0 });
    expect(parseColor("nonsense")).toEqual({ r: 0, g: 200, b: 255 });
  });
});

describe("renderSlice", () => {
  it("draws grey, and darkens pixels whose 4-neighbour has another label", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base());
    expect(px(out, 4, 0, 1)).toEqual([100, 100, 100, 255]); // interior
    expect(px(out, 4, 3, 2)).toEqual([100, 100, 100, 255]); // slice border is no boundary
    const dark = Math.round(100 * DEFAULT_OVERLAY_STYLE.boundaryDarken);
    expect(px(out, 4, 1, 0)).toEqual([dark, dark, dark, 255]); // left of the 1|2 boundary
    expect(px(out, 4, 2, 2)).toEqual([dark, dark, dark, 255]); // right of it
  });

  it("fills selected supervoxels with the colour at fillAlpha and outlines them", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base({ selected: new Set([2]) }));
    const a = DEFAULT_OVERLAY_STYLE.fillAlpha;
    const [r, g, b] = px(out, 4, 3, 1);
    expect(r).toBe(Math.round(100 + (255 - 100) * a));
    expect(g).toBe(Math.round(100 * (1 - a)));
    expect(b).toBe(g);
    // Selected pixel facing the unselected neighbour: the outline, the colour lifted towards white.
    const { outlineLighten: l, outlineAlpha: oa } = DEFAULT_OVERLAY_STYLE;
    const edge = px(out, 4, 2, 1);
    expect(edge[0]).toBe(Math.round(100 + (255 - 100) * oa));
    expect(edge[1]).toBe(Math.round(100 + (255 * l - 100) * oa));
    expect(edge[1]).toBe(edge[2]);
    // The unselected side keeps the plain dark boundary.
    const dark = Math.round(100 * DEFAULT_OVERLAY_STYLE.boundaryDarken);
    expect(px(out, 4, 1, 1)).toEqual([dark, dark, dark, 255]);
    // Untouched supervoxel stays grey.
    expect(px(out, 4, 0, 1)).toEqual([100, 100, 100, 255]);
  });

  it("tints seeds more strongly than selected supervoxels, even if not in `selected`", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base({ seeds: new Set([1]), selected: new Set([2]) }));
    const seedR = px(out, 4, 0, 1)[0]!;
    const selR = px(out, 4, 3, 1)[0]!;
    expect(seedR).toBe(Math.round(100 + 155 * DEFAULT_OVERLAY_STYLE.seedAlpha));
    expect(seedR).toBeGreaterThan(selR);
    // Boundary between two selected supervoxels is plain (darkened colour), not an outline.
    const e = px(out, 4, 1, 1);
    expect(e[0]).toBe(Math.round(seedR * DEFAULT_OVERLAY_STYLE.boundaryDarken));
  });

  it("draws seed stripes when enabled", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3, 4));
    renderSlice(out, base({ seeds: new Set([1]), style: DEFAULT_OVERLAY_STYLE, scale: 4 }));
    const reds = new Set<number>();
    for (let y = 1; y < 11; y++) reds.add(px(out, 16, 2, y)[0]!);
    expect(reds.size).toBe(2); // fill and stripe
  });

  it("lightens the hovered supervoxel", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base({ hovered: 1 }));
    expect(px(out, 4, 0, 1)[0]).toBe(Math.round(100 + 155 * DEFAULT_OVERLAY_STYLE.hoverAlpha));
    expect(px(out, 4, 3, 1)[0]).toBe(100);
  });

  it("at scale > 1 draws the boundary only on the facing sub-pixels", () => {
    const s = 3;
    const ow = 4 * s;
    const out = new Uint8ClampedArray(overlayByteLength(4, 3, s));
    renderSlice(out, base({ scale: s }));
    const dark = Math.round(100 * DEFAULT_OVERLAY_STYLE.boundaryDarken);
    // Voxel x=1 spans output columns 3..5; only column 5 faces voxel x=2 (columns 6..8, 6 faces back).
    for (let oy = 0; oy < 3 * s; oy++) {
      expect(px(out, ow, 3, oy)[0]).toBe(100);
      expect(px(out, ow, 4, oy)[0]).toBe(100);
      expect(px(out, ow, 5, oy)[0]).toBe(dark);
      expect(px(out, ow, 6, oy)[0]).toBe(dark);
      expect(px(out, ow, 7, oy)[0]).toBe(100);
    }
  });

  it("handles missing grey and labels", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base({ grey: null, labels: null, hovered: 1 }));
    const m = DEFAULT_OVERLAY_STYLE.missingGrey;
    for (let i = 0; i < 12; i++) expect([...out.subarray(i * 4, i * 4 + 4)]).toEqual([m, m, m, 255]);
  });

  it("never treats label 0 as selected or hovered", () => {
    const out = new Uint8ClampedArray(overlayByteLength(2, 1));
    renderSlice(
      out,
      base({
        width: 2,
        height: 1,
        grey: new Uint8Array([50, 50]),
        labels: new Uint32Array([0, 0]),
        selected: new Set([0]),
        hovered: 0,
      }),
    );
    expect([...out]).toEqual([50, 50, 50, 255, 50, 50, 50, 255]);
  });

  it("smoothGrey matches flat rendering on a constant image, and interpolates a gradient", () => {
    const s = 4;
    const flat = new Uint8ClampedArray(overlayByteLength(4, 3, s));
    const smooth = new Uint8ClampedArray(overlayByteLength(4, 3, s));
    const input = base({ scale: s, selected: new Set([2]), seeds: new Set([1]), hovered: 2, style: DEFAULT_OVERLAY_STYLE });
    renderSlice(flat, input);
    renderSlice(smooth, { ...input, smoothGrey: true });
    expect([...smooth]).toEqual([...flat]);

    // Horizontal ramp 0, 100, 200, 250 on one supervoxel: sub-pixels between centres are blended.
    const ramp = base({
      scale: s,
      smoothGrey: true,
      grey: new Uint8Array([0, 100, 200, 250, 0, 100, 200, 250, 0, 100, 200, 250]),
      labels: new Uint32Array(12).fill(7),
    });
    const out = new Uint8ClampedArray(overlayByteLength(4, 3, s));
    renderSlice(out, ramp);
    const row = Array.from({ length: 16 }, (_, ox) => px(out, 16, ox, 5)[0]);
    expect(row.slice(0, 2)).toEqual([0, 0]); // clamped at the left edge
    expect(row[2]).toBe(13); // 1/8 of the way from 0 to 100 (12.5, rounded half up)
    expect(row[5]).toBe(88); // 7/8 of the way from 0 to 100
    expect(row[6]).toBe(113); // 1/8 of the way from 100 to 200
    for (let i = 1; i < 16; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
    expect(row[15]).toBe(250);
  });

  it("rejects a buffer that is too small", () => {
    expect(() => renderSlice(new Uint8ClampedArray(10), base())).toThrow(/needs/);
  });

  it("renders a 512² slice at scale 2 quickly and reuses the buffer", () => {
    const w = 512;
    // (a 128² cube at scale 4 is the same 1 Mpx of output)
    const labels = new Uint32Array(w * w);
    for (let i = 0; i < labels.length; i++) labels[i] = 1 + (((i % w) >> 4) + ((i / w) >> 4) * 32);
    const out = new Uint8ClampedArray(overlayByteLength(w, w, 2));
    const input = base({ width: w, height: w, grey: new Uint8Array(w * w), labels, scale: 2, selected: new Set([5, 6, 7]) });
    for (const smoothGrey of [false, true]) {
      renderSlice(out, { ...input, smoothGrey });
      const t0 = performance.now();
      for (let k = 0; k < 5; k++) renderSlice(out, { ...input, smoothGrey });
      const ms = (performance.now() - t0) / 5;
      expect(ms).toBeLessThan(250); // generous for slow CI boxes; typically 10–30 ms
    }
  });
});

describe("renderSlice: suggestions and split offers", () => {
  const st = DEFAULT_OVERLAY_STYLE;
  const tint = (c: { r: number; g: number; b: number }, a: number) => [Math.round(100 + (c.r - 100) * a), Math.round(100 + (c.g - 100) * a), Math.round(100 + (c.b - 100) * a), 255];

  it("tints suggested supervoxels amber, the best one stronger and outlined", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base({ suggested: new Set([1, 2]), suggestedBest: new Set([2]) }));
    expect(px(out, 4, 0, 1)).toEqual(tint(st.suggestColor, st.suggestAlpha));
    expect(px(out, 4, 3, 1)).toEqual(tint(st.suggestColor, st.suggestBestAlpha));
    // The best suggestion's edge is an amber outline, not a darkened line.
    const edge = px(out, 4, 2, 1);
    expect(edge[0]! - edge[2]!).toBeGreaterThan(150);
  });

  it("never draws a selected supervoxel as a suggestion", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base({ selected: new Set([2]), suggested: new Set([2]), suggestedBest: new Set([2]) }));
    expect(px(out, 4, 3, 1)).toEqual(tint(RED, st.fillAlpha));
  });

  it("draws the side a split would cut off in red, and keeps the selection outline on a plain neighbour", () => {
    const out = new Uint8ClampedArray(overlayByteLength(4, 3));
    renderSlice(out, base({ labels: new Uint32Array([1, 1, 9, 9, 1, 1, 9, 9, 1, 1, 9, 9]), selected: new Set([1]), cut: new Set([9]) }));
    expect(px(out, 4, 3, 1)).toEqual(tint(st.cutColor, st.cutAlpha));
    const cutEdge = px(out, 4, 2, 1);
    expect(cutEdge).toEqual([st.cutColor.r, st.cutColor.g, st.cutColor.b, 255]);
    // The selected side facing the cut-off side: the neuron's outline.
    const { outlineLighten: l } = st;
    expect(px(out, 4, 1, 1)[1]).toBe(Math.round(255 * l));
  });
});
