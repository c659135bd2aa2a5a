/**
 * Renders one z slice of the cube into an RGBA buffer: the grey EM image, supervoxel boundaries,
 * seeds, the selection in the neuron's colour, and the hovered supervoxel.
 *
 * Pure and allocation-free per pixel: the caller owns and reuses `out`. With `scale` > 1 each voxel
 * becomes a `scale × scale` block, and a boundary is drawn only on the block's sub-pixels that face a
 * different label, so lines stay thin (one sub-pixel on each side of the true boundary) when the
 * slice is magnified. With `scale` 1 a pixel is a boundary pixel when a 4-neighbour has another label.
 * `smoothGrey` interpolates the EM image between voxel centres (boundaries stay voxel-exact).
 *
 * Rules (inside the slice; the slice border itself is not a boundary):
 *   base        grey value (or `missingGrey` when the tile has not arrived)
 *   selected    base mixed with the neuron colour at `fillAlpha`
 *   seed        base mixed with the neuron colour at `seedAlpha`, with faint diagonal stripes
 *   hovered     then mixed towards white by `hoverAlpha` (any non-zero label)
 *   boundary    of a selected voxel facing a non-selected one: the light neuron outline colour;
 *               any other boundary: the voxel's colour darkened by `boundaryDarken`
 *   suggested   (not selected) base mixed with `suggestColor` at `suggestAlpha`; the best suggestion
 *               at `suggestBestAlpha`, outlined in `suggestColor`
 *   cut         voxels a split offer would cut off: base mixed with `cutColor` at `cutAlpha`, outlined
 */

export type Rgb = { r: number; g: number; b: number };

export type OverlayStyle = {
  fillAlpha: number;
  seedAlpha: number;
  /** Lightening of seed stripes (0 = no stripes). */
  seedStripe: number;
  /** Stripe period in output pixels. */
  seedStripePeriod: number;
  hoverAlpha: number;
  /** Multiplier applied to the colour on a boundary (0 = black, 1 = invisible). */
  boundaryDarken: number;
  /** Opacity of the selection outline over the grey. */
  outlineAlpha: number;
  /** How far the outline colour is lifted towards white. */
  outlineLighten: number;
  /** Grey value drawn where the image tile is missing. */
  missingGrey: number;
  /** Suggested supervoxels (game/inference): colour and opacities. */
  suggestColor: Rgb;
  suggestAlpha: number;
  suggestBestAlpha: number;
  /** The side a split offer would cut off. */
  cutColor: Rgb;
  cutAlpha: number;
};

export const DEFAULT_OVERLAY_STYLE: OverlayStyle = {
  fillAlpha: 0.45,
  seedAlpha: 0.6,
  seedStripe: 0.22,
  seedStripePeriod: 8,
  hoverAlpha: 0.3,
  boundaryDarken: 0.55,
  outlineAlpha: 1,
  outlineLighten: 0.15,
  missingGrey: 18,
  suggestColor: { r: 255, g: 196, b: 40 },
  suggestAlpha: 0.22,
  suggestBestAlpha: 0.42,
  cutColor: { r: 255, g: 70, b: 90 },
  cutAlpha: 0.45,
};

export type SliceInput = {
  width: number;
  height: number;
  /** `width × height` grey values, row-major; null when not loaded. */
  grey: ArrayLike<number> | null;
  /** `width × height` supervoxel ids, row-major; null when not loaded (drawn as all label 0). */
  labels: ArrayLike<number> | null;
  /** Selected supervoxels (seeds may or may not be included: seeds always count as selected). */
  selected: ReadonlySet<number>;
  seeds: ReadonlySet<number>;
  /** Hovered supervoxel, 0 for none. */
  hovered: number;
  color: Rgb;
  /** Output pixels per voxel along x and y (integer ≥ 1, default 1). */
  scale?: number;
  /**
   * Interpolate the grey image bilinearly between voxel centres (scale > 1 only), so the EM looks
   * smooth while boundaries stay voxel-exact. Default false (flat voxels).
   */
  smoothGrey?: boolean;
  style?: OverlayStyle;
  /** Suggested supervoxels (drawn only when not selected), and the best suggestion's among them. */
  suggested?: ReadonlySet<number>;
  suggestedBest?: ReadonlySet<number>;
  /** Labels drawn as "would be cut off" (a split offer: the game gives that side its own label). */
  cut?: ReadonlySet<number>;
  /** Review after submitting: the player's supervoxels the consensus kept, those it had and they missed, their extras. */
  review?: { correct: ReadonlySet<number>; missed: ReadonlySet<number>; extra: ReadonlySet<number> } | null;
};

const NONE = 0;
const SELECTED = 1;
const SEED = 2;
const SUGGESTED = 3;
const SUGGESTED_BEST = 4;
const CUT = 5;
const REVIEW_CORRECT = 6;
const REVIEW_MISSED = 7;
const REVIEW_EXTRA = 8;
const CLASSES = 9;
/** Review colours: correct green, missed magenta, extra orange (drawn at REVIEW_ALPHA over the grey). */
export const REVIEW_COLORS = { correct: { r: 40, g: 200, b: 90 }, missed: { r: 220, g: 60, b: 230 }, extra: { r: 255, g: 110, b: 20 } } as const;
const REVIEW_ALPHA = 0.5;
const EMPTY: ReadonlySet<number> = new Set();

/** "#rrggbb" (or "rrggbb", or "#rgb") → Rgb; falls back to a cyan when malformed. */
export function parseColor(hex: string): Rgb {
  let h = hex.trim().replace(/^#/, "");
  if (/^[0-9a-f]{3}$/i.test(h)) h = h.replace(/./g, (c) => c + c);
  if (!/^[0-9a-f]{6}$/i.test(h)) return { r: 0, g: 200, b: 255 };
  const v = parseInt(h, 16);
  return { r: (v >> 16) & 255, g: (v >> 8) & 255, b: v & 255 };
}

/** Round, clamp to 0..255 and pack as an opaque RGBA pixel (little-endian word). */
function pack(r: number, g: number, b: number): number {
  const ri = r <= 0 ? 0 : r >= 255 ? 255 : (r + 0.5) | 0;
  const gi = g <= 0 ? 0 : g >= 255 ? 255 : (g + 0.5) | 0;
  const bi = b <= 0 ? 0 : b >= 255 ? 255 : (b + 0.5) | 0;
  return ((255 << 24) | (bi << 16) | (gi << 8) | ri) >>> 0;
}

/** Bytes needed for a slice at a scale. */
export function overlayByteLength(width: number, height: number, scale = 1): number {
  return width * scale * height * scale * 4;
}

/**
 * Draw the slice into `out` (RGBA, `(width·scale) × (height·scale)` pixels, row-major, alpha 255).
 */
export function renderSlice(out: Uint8ClampedArray, input: SliceInput): void {
  const { width: w, height: h, grey, labels, selected, seeds, hovered } = input;
  const s = Math.max(1, Math.floor(input.scale ?? 1));
  const st = input.style ?? DEFAULT_OVERLAY_STYLE;
  const need = overlayByteLength(w, h, s);
  if (out.length < need) throw new Error(`overlay buffer has ${out.length} bytes, needs ${need}`);
  if (grey && grey.length < w * h) throw new Error("grey slice too small");
  if (labels && labels.length < w * h) throw new Error("label slice too small");

  const cr = input.color.r;
  const cg = input.color.g;
  const cb = input.color.b;
  const ol = st.outlineLighten;
  const oa = st.outlineAlpha;
  const outR = cr + (255 - cr) * ol;
  const outG = cg + (255 - cg) * ol;
  const outB = cb + (255 - cb) * ol;
  const dk = st.boundaryDarken;
  const stripeP = Math.max(2, st.seedStripePeriod | 0);
  const stripeW = stripeP >> 2 || 1;
  const ow = w * s; // output row length in pixels
  const smooth = input.smoothGrey === true && grey !== null && s > 1;
  if (out.byteOffset % 4 !== 0) throw new Error("overlay buffer must be 4-byte aligned");
  // One 32-bit write per pixel (RGBA bytes in memory = ABGR little-endian word; browsers are LE).
  const px = new Uint32Array(out.buffer, out.byteOffset, need >> 2);

  const suggested = input.suggested ?? EMPTY;
  const best = input.suggestedBest ?? EMPTY;
  const cut = input.cut ?? EMPTY;
  const sg = st.suggestColor;
  const ct = st.cutColor;
  // Outline colours of the best suggestion (kind 3) and of a cut-off side (kind 4), over the grey.
  const sgR = sg.r + (255 - sg.r) * 0.2;
  const sgG = sg.g + (255 - sg.g) * 0.2;
  const sgB = sg.b + (255 - sg.b) * 0.2;
  // Tint colour and opacity per class (the neuron's for selected and seeds), looked up per voxel.
  const rc = REVIEW_COLORS;
  const tintR = [0, cr, cr, sg.r, sg.r, ct.r, rc.correct.r, rc.missed.r, rc.extra.r];
  const tintG = [0, cg, cg, sg.g, sg.g, ct.g, rc.correct.g, rc.missed.g, rc.extra.g];
  const tintB = [0, cb, cb, sg.b, sg.b, ct.b, rc.correct.b, rc.missed.b, rc.extra.b];
  const tintA = [0, st.fillAlpha, st.seedAlpha, st.suggestAlpha, st.suggestBestAlpha, st.cutAlpha, REVIEW_ALPHA, REVIEW_ALPHA, REVIEW_ALPHA];
  const review = input.review ?? null;
  // Edge kind of a voxel of class c facing a voxel of another label of class o: EDGE[c * CLASSES + o].
  // 1 plain, 2 selection outline, 3 best-suggestion outline, 4 cut outline.
  const isSel = (c: number) => c === SELECTED || c === SEED;
  const EDGE = new Uint8Array(CLASSES * CLASSES);
  for (let c = 0; c < CLASSES; c++) {
    for (let o = 0; o < CLASSES; o++) {
      EDGE[c * CLASSES + o] = isSel(c) ? (isSel(o) ? 1 : 2) : c === SUGGESTED_BEST && o !== SUGGESTED_BEST ? 3 : c === CUT && o !== CUT ? 4 : 1;
    }
  }
  /** Classes whose every edge is plain: no need to look at the neighbour's class (the common case). */
  const PLAIN = Uint8Array.from({ length: CLASSES }, (_, c) => (EDGE.subarray(c * CLASSES, (c + 1) * CLASSES).every((e) => e === 1) ? 1 : 0));
  const outlineOf = (e: number, g: number): number =>
    e === 2
      ? pack(g + (outR - g) * oa, g + (outG - g) * oa, g + (outB - g) * oa)
      : e === 3
        ? pack(sgR, sgG, sgB)
        : pack(ct.r, ct.g, ct.b);

  // Memo for class lookups: labels repeat along rows, Set.has is the costly part.
  let memoLabel = -1;
  let memoClass = NONE;
  const classOf = (label: number): number => {
    if (label === memoLabel) return memoClass;
    memoLabel = label;
    memoClass =
      label === 0
        ? NONE
        : seeds.has(label)
          ? SEED
          : review && review.correct.has(label)
            ? REVIEW_CORRECT
            : review && review.extra.has(label)
              ? REVIEW_EXTRA
              : review && review.missed.has(label)
                ? REVIEW_MISSED
                : selected.has(label)
            ? SELECTED
            : cut.has(label)
              ? CUT
              : best.has(label)
                ? SUGGESTED_BEST
                : suggested.has(label)
                  ? SUGGESTED
                  : NONE;
    return memoClass;
  };

  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const label = labels ? (labels[i] as number) : 0;
      const cls = classOf(label);
      const g = grey ? (grey[i] as number) : st.missingGrey;

      // Interior colour.
      let r = g;
      let gg = g;
      let b = g;
      if (cls !== NONE) {
        const a = tintA[cls]!;
        r += (tintR[cls]! - r) * a;
        gg += (tintG[cls]! - gg) * a;
        b += (tintB[cls]! - b) * a;
      }
      if (hovered !== 0 && label === hovered) {
        const a = st.hoverAlpha;
        r += (255 - r) * a;
        gg += (255 - gg) * a;
        b += (255 - b) * a;
      }

      // Edge kinds: 0 none, 1 plain boundary, 2 selection outline.
      let eL = 0;
      let eR = 0;
      let eU = 0;
      let eD = 0;
      if (labels && PLAIN[cls] === 1) {
        if (x > 0 && labels[i - 1] !== label) eL = 1;
        if (x < w - 1 && labels[i + 1] !== label) eR = 1;
        if (y > 0 && labels[i - w] !== label) eU = 1;
        if (y < h - 1 && labels[i + w] !== label) eD = 1;
      } else if (labels) {
        const row = cls * CLASSES;
        if (x > 0) {
          const n = labels[i - 1] as number;
          if (n !== label) eL = EDGE[row + classOf(n)]!;
        }
        if (x < w - 1) {
          const n = labels[i + 1] as number;
          if (n !== label) eR = EDGE[row + classOf(n)]!;
        }
        if (y > 0) {
          const n = labels[i - w] as number;
          if (n !== label) eU = EDGE[row + classOf(n)]!;
        }
        if (y < h - 1) {
          const n = labels[i + w] as number;
          if (n !== label) eD = EDGE[row + classOf(n)]!;
        }
        classOf(label); // restore the memo for the next voxel of the run
      }

      const stripes = cls === SEED && st.seedStripe > 0;
      const sa = st.seedStripe;
      const oy0 = y * s;
      const ox0 = x * s;
      const last = s - 1;

      if (!smooth) {
        // Flat voxels: four packed colours, one 32-bit write per sub-pixel.
        const cInterior = pack(r, gg, b);
        const cPlain = pack(r * dk, gg * dk, b * dk);
        const cOutline = pack(g + (outR - g) * oa, g + (outG - g) * oa, g + (outB - g) * oa);
        const eMax = eL > eR ? eL : eR;
        const eMax2 = eU > eD ? eU : eD;
        const cOther = eMax > 2 || eMax2 > 2 ? outlineOf(eMax > eMax2 ? eMax : eMax2, g) : cOutline;
        const cStripe = stripes ? pack(r + (255 - r) * sa, gg + (255 - gg) * sa, b + (255 - b) * sa) : cInterior;
        for (let sy = 0; sy < s; sy++) {
          const oy = oy0 + sy;
          let eRow = sy === 0 ? eU : 0;
          if (sy === last && eD > eRow) eRow = eD;
          let o = oy * ow + ox0;
          for (let sx = 0; sx < s; sx++) {
            let e = eRow;
            if (sx === 0 && eL > e) e = eL;
            if (sx === last && eR > e) e = eR;
            px[o++] =
              e === 2
                ? cOutline
                : e > 2
                  ? cOther
                : e === 1
                  ? cPlain
                  : stripes && (ox0 + sx + oy) % stripeP < stripeW
                    ? cStripe
                    : cInterior;
          }
        }
        continue;
      }

      // Smooth grey: bilinear between voxel centres, tint applied as colour = grey·k + bias.
      const greyArr = grey as ArrayLike<number>;
      let k = 1;
      let bR = 0;
      let bG = 0;
      let bB = 0;
      if (cls !== NONE) {
        const a = tintA[cls]!;
        k = 1 - a;
        bR = tintR[cls]! * a;
        bG = tintG[cls]! * a;
        bB = tintB[cls]! * a;
      }
      if (hovered !== 0 && label === hovered) {
        const a = st.hoverAlpha;
        k *= 1 - a;
        bR = bR * (1 - a) + 255 * a;
        bG = bG * (1 - a) + 255 * a;
        bB = bB * (1 - a) + 255 * a;
      }
      const xl = x > 0 ? x - 1 : 0;
      const xr = x < w - 1 ? x + 1 : x;
      const rowU = (y > 0 ? y - 1 : 0) * w;
      const rowC = y * w;
      const rowD = (y < h - 1 ? y + 1 : y) * w;
      for (let sy = 0; sy < s; sy++) {
        const oy = oy0 + sy;
        let eRow = sy === 0 ? eU : 0;
        if (sy === last && eD > eRow) eRow = eD;
        const fy = (sy + 0.5) / s - 0.5;
        const r0 = fy < 0 ? rowU : rowC;
        const r1 = fy < 0 ? rowC : rowD;
        const ty = fy < 0 ? 1 + fy : fy;
        let o = oy * ow + ox0;
        for (let sx = 0; sx < s; sx++) {
          let e = eRow;
          if (sx === 0 && eL > e) e = eL;
          if (sx === last && eR > e) e = eR;
          const fx = (sx + 0.5) / s - 0.5;
          const c0 = fx < 0 ? xl : x;
          const c1 = fx < 0 ? x : xr;
          const tx = fx < 0 ? 1 + fx : fx;
          const top = (greyArr[r0 + c0] as number) * (1 - tx) + (greyArr[r0 + c1] as number) * tx;
          const bot = (greyArr[r1 + c0] as number) * (1 - tx) + (greyArr[r1 + c1] as number) * tx;
          const gs = top + (bot - top) * ty;
          if (e >= 2) {
            px[o++] = outlineOf(e, gs);
            continue;
          }
          let rr = gs * k + bR;
          let rg = gs * k + bG;
          let rb = gs * k + bB;
          if (e === 1) {
            rr *= dk;
            rg *= dk;
            rb *= dk;
          } else if (stripes && (ox0 + sx + oy) % stripeP < stripeW) {
            rr += (255 - rr) * sa;
            rg += (255 - rg) * sa;
            rb += (255 - rb) * sa;
          }
          px[o++] = pack(rr, rg, rb);
        }
      }
    }
  }
}
