/**
 * Pre- and post-processing of the boundary model (public/models/boundary.onnx), shared by
 * onnxruntime-node (ingest) and onnxruntime-web (the browser worker), so both give the same answer.
 * Pure: no I/O, no runtime imports. Full contract: docs/model-contract.md.
 *
 * The model (2.5D U-Net, see public/models/boundary.md):
 *   input  "input"    float32 [N, 3, H, W]  slices z-1, z, z+1 (clamped at the volume ends), each
 *                                            normalised as (grey - NORM_MEAN) / NORM_STD;
 *                                            H and W any multiple of MODEL_STRIDE (8).
 *   output "boundary" float32 [N, 1, H, W]  boundary probability of slice z in [0, 1] (the sigmoid
 *                                            is inside the graph: no post-processing but clamping).
 *
 * Whole slices larger than a tile are run tile by tile (`tilePlan`), each tile cut out of the
 * normalised planes with mirror padding (`cropTile`), and stitched with a linear ramp over the
 * overlap (`blendTile` + `finishBlend`). `predictPlane` does all of it given an inference function.
 * Layout everywhere: row-major, x fastest; multi-channel arrays are channel-major (C, H, W).
 */

/** Number of consecutive slices the model reads (z-1, z, z+1). */
export const MODEL_CONTEXT = 3;
export const MODEL_INPUT_NAME = "input";
export const MODEL_OUTPUT_NAME = "boundary";
/** H and W of the model input must be multiples of this (three 2× poolings). */
export const MODEL_STRIDE = 8;
/** Normalisation: (grey - NORM_MEAN) / NORM_STD, fixed (NeuroProof training slab: mean 129, sd 33). */
export const NORM_MEAN = 128;
export const NORM_STD = 32;
export const DEFAULT_TILE = 256;
export const DEFAULT_OVERLAP = 32;

/** The z indices of the slices the model reads for slice `z` of a `depth`-slice volume (clamped). */
export function contextIndices(z: number, depth: number): number[] {
  if (!Number.isInteger(z) || z < 0 || z >= depth) throw new RangeError(`slice ${z} outside 0..${depth - 1}`);
  const half = (MODEL_CONTEXT - 1) >> 1;
  const out: number[] = [];
  for (let k = -half; k <= half; k++) out.push(Math.min(depth - 1, Math.max(0, z + k)));
  return out;
}

/**
 * Normalise MODEL_CONTEXT grey slices (each width*height bytes) into one (C, H, W) float array.
 * `out` (length C*H*W) is reused when given.
 */
export function preprocessSlices(slices: Uint8Array[], width: number, height: number, out?: Float32Array): Float32Array {
  if (slices.length !== MODEL_CONTEXT) throw new Error(`expected ${MODEL_CONTEXT} slices (z-1, z, z+1), got ${slices.length}`);
  const plane = width * height;
  const dst = out ?? new Float32Array(MODEL_CONTEXT * plane);
  if (dst.length !== MODEL_CONTEXT * plane) throw new Error(`output has ${dst.length} values, need ${MODEL_CONTEXT * plane}`);
  const inv = 1 / NORM_STD;
  for (let c = 0; c < MODEL_CONTEXT; c++) {
    const s = slices[c]!;
    if (s.length !== plane) throw new Error(`slice ${c} has ${s.length} pixels, expected ${width}×${height} = ${plane}`);
    const o = c * plane;
    for (let i = 0; i < plane; i++) dst[o + i] = (s[i]! - NORM_MEAN) * inv;
  }
  return dst;
}

export type Tile = {
  /** Top-left corner of the model input in image coordinates (may be < 0 or run past the edge: mirrored). */
  x0: number;
  y0: number;
};

export type TilePlan = {
  /** Model input size of every tile (multiple of MODEL_STRIDE). */
  tileW: number;
  tileH: number;
  overlap: number;
  tiles: Tile[];
};

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** Start positions along one axis: step tile-overlap, the last one flush with the end. */
function axisStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const step = tile - overlap;
  const starts: number[] = [];
  for (let s = 0; ; s += step) {
    if (s + tile >= size) {
      starts.push(size - tile);
      break;
    }
    starts.push(s);
  }
  return starts;
}

/**
 * Tiles covering a width×height image. Tiles are `tile` px square; an image smaller than a tile
 * along an axis gets one tile of that size rounded up to MODEL_STRIDE (the rest is mirror padding).
 * Neighbouring tiles overlap by at least `overlap` px.
 */
export function tilePlan(width: number, height: number, tile = DEFAULT_TILE, overlap = DEFAULT_OVERLAP): TilePlan {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers (got ${width}×${height})`);
  }
  if (!Number.isInteger(tile) || tile < MODEL_STRIDE || tile % MODEL_STRIDE !== 0) {
    throw new RangeError(`tile must be a positive multiple of ${MODEL_STRIDE} (got ${tile})`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= tile) {
    throw new RangeError(`overlap must be an integer in [0, tile) (got ${overlap})`);
  }
  const tileW = Math.min(tile, roundUp(width, MODEL_STRIDE));
  const tileH = Math.min(tile, roundUp(height, MODEL_STRIDE));
  const xs = axisStarts(width, tileW, overlap);
  const ys = axisStarts(height, tileH, overlap);
  const tiles: Tile[] = [];
  for (const y0 of ys) for (const x0 of xs) tiles.push({ x0, y0 });
  return { tileW, tileH, overlap, tiles };
}

/** Mirror (reflect without repeating the edge) an index into [0, n). */
export function mirrorIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * Cut a tileW×tileH window at (x0, y0) out of a (C, height, width) float array into (C, tileH, tileW),
 * mirroring outside the image. `out` (length C*tileH*tileW) is reused when given.
 */
export function cropTile(
  planes: Float32Array,
  channels: number,
  width: number,
  height: number,
  x0: number,
  y0: number,
  tileW: number,
  tileH: number,
  out?: Float32Array,
): Float32Array {
  const plane = width * height;
  if (planes.length !== channels * plane) throw new Error(`input has ${planes.length} values, need ${channels}×${height}×${width}`);
  const dst = out ?? new Float32Array(channels * tileW * tileH);
  if (dst.length !== channels * tileW * tileH) throw new Error(`output has ${dst.length} values, need ${channels}×${tileH}×${tileW}`);
  const inside = x0 >= 0 && x0 + tileW <= width;
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const base = c * plane;
    for (let ty = 0; ty < tileH; ty++) {
      const row = base + mirrorIndex(y0 + ty, height) * width;
      if (inside) {
        dst.set(planes.subarray(row + x0, row + x0 + tileW), o);
        o += tileW;
      } else {
        for (let tx = 0; tx < tileW; tx++) dst[o++] = planes[row + mirrorIndex(x0 + tx, width)]!;
      }
    }
  }
  return dst;
}

/**
 * Weight of tile pixel `i` along an axis of length `n`: 1 in the middle, a linear ramp down to
 * 1/(overlap+1) over `overlap` px at an edge that lies inside the image (edges on the image border,
 * or beyond it, keep weight 1 so border pixels are never under-weighted).
 */
function rampWeight(i: number, n: number, overlap: number, rampLow: boolean, rampHigh: boolean): number {
  let w = 1;
  if (overlap > 0) {
    if (rampLow && i < overlap) w = Math.min(w, (i + 1) / (overlap + 1));
    if (rampHigh && n - 1 - i < overlap) w = Math.min(w, (n - i) / (overlap + 1));
  }
  return w;
}

/**
 * Add one tile's output (tileH×tileW, e.g. the model's [1,1,H,W] output) into the accumulators
 * `acc` (weighted sum) and `wsum` (weights), both width*height. Pixels outside the image are dropped.
 */
export function blendTile(
  acc: Float32Array,
  wsum: Float32Array,
  width: number,
  height: number,
  tileOut: Float32Array,
  tile: Tile,
  tileW: number,
  tileH: number,
  overlap: number,
): void {
  if (tileOut.length < tileW * tileH) throw new Error(`tile output has ${tileOut.length} values, need ${tileW}×${tileH}`);
  if (acc.length !== width * height || wsum.length !== width * height) throw new Error("accumulators must be width*height");
  const { x0, y0 } = tile;
  const left = x0 > 0;
  const right = x0 + tileW < width;
  const top = y0 > 0;
  const bottom = y0 + tileH < height;
  const txa = Math.max(0, -x0);
  const txb = Math.min(tileW, width - x0);
  const tya = Math.max(0, -y0);
  const tyb = Math.min(tileH, height - y0);
  for (let ty = tya; ty < tyb; ty++) {
    const wy = rampWeight(ty, tileH, overlap, top, bottom);
    const row = (y0 + ty) * width + x0;
    const trow = ty * tileW;
    for (let tx = txa; tx < txb; tx++) {
      const w = wy * rampWeight(tx, tileW, overlap, left, right);
      acc[row + tx]! += w * tileOut[trow + tx]!;
      wsum[row + tx]! += w;
    }
  }
}

/** acc / wsum, clamped to [0, 1] (post-processing of the probabilities), written into `out` (may be `acc`). */
export function finishBlend(acc: Float32Array, wsum: Float32Array, out: Float32Array = acc): Float32Array {
  for (let i = 0; i < acc.length; i++) {
    const w = wsum[i]!;
    out[i] = w > 0 ? postprocess(acc[i]! / w) : 0;
  }
  return out;
}

/** The model already ends in a sigmoid: post-processing is clamping to [0, 1] (NaN → 1, a boundary). */
export function postprocess(p: number): number {
  return p >= 0 ? (p <= 1 ? p : 1) : p < 0 ? 0 : 1;
}

/** Logistic function, for models that output logits (not the shipped one). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Probability [0,1] → uint8 0..255 (rounded), the quantisation used for stored boundary maps. */
export function probabilityToByte(p: number): number {
  return Math.round(postprocess(p) * 255);
}

export type InferTile = (input: Float32Array, tileH: number, tileW: number) => Promise<Float32Array>;

/**
 * Boundary probability of one slice (width*height, in [0,1]) from its MODEL_CONTEXT grey slices,
 * tiled with overlap. `infer` runs the model on one [1, C, tileH, tileW] input and returns the
 * [1, 1, tileH, tileW] output data.
 */
export async function predictPlane(
  infer: InferTile,
  slices: Uint8Array[],
  width: number,
  height: number,
  opts: { tile?: number; overlap?: number; out?: Float32Array } = {},
): Promise<Float32Array> {
  const plan = tilePlan(width, height, opts.tile ?? DEFAULT_TILE, opts.overlap ?? DEFAULT_OVERLAP);
  const planes = preprocessSlices(slices, width, height);
  const acc = opts.out ?? new Float32Array(width * height);
  acc.fill(0);
  const wsum = new Float32Array(width * height);
  const input = new Float32Array(MODEL_CONTEXT * plan.tileW * plan.tileH);
  for (const t of plan.tiles) {
    cropTile(planes, MODEL_CONTEXT, width, height, t.x0, t.y0, plan.tileW, plan.tileH, input);
    const out = await infer(input, plan.tileH, plan.tileW);
    blendTile(acc, wsum, width, height, out, t, plan.tileW, plan.tileH, plan.overlap);
  }
  return finishBlend(acc, wsum, acc);
}
