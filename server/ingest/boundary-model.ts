/**
 * The boundary model on the server: the ONLY module that imports onnxruntime-node.
 * Loads and checks an ONNX file against docs/model-contract.md, and runs it over a whole volume,
 * tiled with overlap, with the shared pre/post-processing of core/model-io.ts.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import {
  blendTile,
  contextIndices,
  cropTile,
  DEFAULT_OVERLAP,
  DEFAULT_TILE,
  finishBlend,
  MODEL_CONTEXT,
  MODEL_INPUT_NAME,
  MODEL_OUTPUT_NAME,
  preprocessSlices,
  tilePlan,
  type TilePlan,
} from "@/core/model-io";
import { addResliced, resliced, reslicedDims, type SliceAxis } from "@/core/volume-axes";
import { errorText, IngestError } from "./errors";

/** The committed model (docs/model-contract.md). */
export const DEFAULT_MODEL_PATH = path.resolve("public", "models", "boundary.onnx");

export type BoundaryModel = {
  file: string;
  session: ort.InferenceSession;
  close(): Promise<void>;
};

type Dim = number | string | undefined;

function fmtDims(dims: readonly Dim[] | undefined): string {
  return dims ? `[${dims.map((d) => (typeof d === "number" ? d : (d ?? "?"))).join(", ")}]` : "(unknown)";
}

/**
 * Open and check a boundary model. Throws IngestError naming the file when it is missing, not an
 * ONNX model (corrupt), or its input/output do not fit the contract
 * (input "input" float32 [N, 3, H, W], output "boundary").
 */
export async function loadBoundaryModel(file: string): Promise<BoundaryModel> {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    const st = await stat(abs);
    if (st.isDirectory()) throw new IngestError(`model ${abs} is a folder, expected an .onnx file`, abs);
    bytes = await readFile(abs);
  } catch (e) {
    if (e instanceof IngestError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IngestError(`model file not found: ${abs} (train one with npm run train:model, or pass --supervoxels)`, abs, { cause: e });
    }
    throw new IngestError(`cannot read model file ${abs}: ${errorText(e)}`, abs, { cause: e });
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      graphOptimizationLevel: "all",
    });
  } catch (e) {
    throw new IngestError(`model ${abs} is not a loadable ONNX model (corrupt or truncated file?): ${errorText(e)}`, abs, { cause: e });
  }
  const fail = (why: string): never => {
    void session.release().catch(() => {});
    throw new IngestError(
      `model ${abs} does not fit: ${why} (expected input "${MODEL_INPUT_NAME}" float32 [N, ${MODEL_CONTEXT}, H, W] and output "${MODEL_OUTPUT_NAME}" [N, 1, H, W], see docs/model-contract.md)`,
      abs,
    );
  };
  if (!session.inputNames.includes(MODEL_INPUT_NAME)) fail(`it has inputs ${JSON.stringify(session.inputNames)}`);
  if (session.inputNames.length !== 1) fail(`it has ${session.inputNames.length} inputs`);
  if (!session.outputNames.includes(MODEL_OUTPUT_NAME)) fail(`it has outputs ${JSON.stringify(session.outputNames)}`);
  const meta = session.inputMetadata.find((m) => m.name === MODEL_INPUT_NAME);
  if (meta && meta.isTensor) {
    const dims = meta.shape as readonly Dim[];
    if (meta.type !== "float32") fail(`input type is ${meta.type}`);
    if (dims.length !== 4) fail(`input shape is ${fmtDims(dims)}`);
    if (typeof dims[1] === "number" && dims[1] !== MODEL_CONTEXT) fail(`input shape is ${fmtDims(dims)}: ${dims[1]} channels`);
  }
  return { file: abs, session, close: () => session.release() };
}

/** Run the model once on a [n, C, h, w] input; returns the [n, 1, h, w] output data. Throws IngestError on a shape mismatch. */
export async function runModel(model: BoundaryModel, input: Float32Array, n: number, h: number, w: number): Promise<Float32Array> {
  let out: ort.InferenceSession.ReturnType;
  try {
    out = await model.session.run({ [MODEL_INPUT_NAME]: new ort.Tensor("float32", input, [n, MODEL_CONTEXT, h, w]) });
  } catch (e) {
    throw new IngestError(
      `model ${model.file} failed on an input of shape [${n}, ${MODEL_CONTEXT}, ${h}, ${w}]: ${errorText(e)} (does its input shape fit [N, ${MODEL_CONTEXT}, H, W] with dynamic H, W?)`,
      model.file,
      { cause: e },
    );
  }
  const t = out[MODEL_OUTPUT_NAME];
  const dims = t?.dims ?? [];
  if (!t || t.type !== "float32" || dims.length !== 4 || dims[0] !== n || dims[1] !== 1 || dims[2] !== h || dims[3] !== w) {
    throw new IngestError(
      `model ${model.file} returned ${MODEL_OUTPUT_NAME} ${t ? `${t.type} ${fmtDims(dims)}` : "nothing"} for an input [${n}, ${MODEL_CONTEXT}, ${h}, ${w}], expected float32 [${n}, 1, ${h}, ${w}]`,
      model.file,
    );
  }
  return t.data as Float32Array;
}

/** A quick run at the tile size ingest will use, before any work: a model with fixed/odd input sizes fails here. */
export async function checkModelFits(model: BoundaryModel, plan: TilePlan): Promise<void> {
  await runModel(model, new Float32Array(MODEL_CONTEXT * plan.tileH * plan.tileW), 1, plan.tileH, plan.tileW);
}

/**
 * Boundary probability of every voxel of a grey volume (z,y,x uint8), quantised to bytes
 * (round(p·255)). Slices go through the model in batches of `batch` tiles.
 */
export async function predictBoundaryVolume(
  model: BoundaryModel,
  grey: Uint8Array,
  shape: { x: number; y: number; z: number },
  opts: { tile?: number; overlap?: number; batch?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const { x: W, y: H, z: Z } = shape;
  const plane = W * H;
  if (grey.length !== plane * Z) throw new Error(`grey volume has ${grey.length} voxels, shape needs ${plane * Z}`);
  const plan = tilePlan(W, H, opts.tile ?? DEFAULT_TILE, opts.overlap ?? DEFAULT_OVERLAP);
  const { tileW, tileH } = plan;
  const tileLen = MODEL_CONTEXT * tileW * tileH;
  const batch = Math.max(1, opts.batch ?? 4);
  const out = new Uint8Array(plane * Z);
  // per plane in flight: normalised context planes + accumulators
  const groupPlanes = Math.max(1, Math.ceil(batch / plan.tiles.length));
  const norm = Array.from({ length: groupPlanes }, () => new Float32Array(MODEL_CONTEXT * plane));
  const acc = Array.from({ length: groupPlanes }, () => new Float32Array(plane));
  const wsum = Array.from({ length: groupPlanes }, () => new Float32Array(plane));
  const input = new Float32Array(batch * tileLen);
  const ctx: Uint8Array[] = new Array(MODEL_CONTEXT);
  opts.onProgress?.(0, Z);
  for (let z0 = 0; z0 < Z; z0 += groupPlanes) {
    opts.signal?.throwIfAborted();
    const zs = Math.min(groupPlanes, Z - z0);
    const jobs: { p: number; t: number }[] = [];
    for (let p = 0; p < zs; p++) {
      const idx = contextIndices(z0 + p, Z);
      for (let c = 0; c < MODEL_CONTEXT; c++) ctx[c] = grey.subarray(idx[c]! * plane, (idx[c]! + 1) * plane);
      preprocessSlices(ctx, W, H, norm[p]);
      acc[p]!.fill(0);
      wsum[p]!.fill(0);
      for (let t = 0; t < plan.tiles.length; t++) jobs.push({ p, t });
    }
    for (let j0 = 0; j0 < jobs.length; j0 += batch) {
      const part = jobs.slice(j0, j0 + batch);
      part.forEach(({ p, t }, b) => {
        const tile = plan.tiles[t]!;
        cropTile(norm[p]!, MODEL_CONTEXT, W, H, tile.x0, tile.y0, tileW, tileH, input.subarray(b * tileLen, (b + 1) * tileLen));
      });
      const res = await runModel(model, input.subarray(0, part.length * tileLen), part.length, tileH, tileW);
      part.forEach(({ p, t }, b) => {
        blendTile(acc[p]!, wsum[p]!, W, H, res.subarray(b * tileW * tileH, (b + 1) * tileW * tileH), plan.tiles[t]!, tileW, tileH, plan.overlap);
      });
    }
    for (let p = 0; p < zs; p++) {
      const probs = finishBlend(acc[p]!, wsum[p]!);
      const o = (z0 + p) * plane;
      for (let i = 0; i < plane; i++) out[o + i] = Math.round(probs[i]! * 255);
    }
    opts.onProgress?.(z0 + zs, Z);
  }
  return out;
}

/** Which slices the model reads at ingest: xy only (as the game's worker does), or xy, xz and yz. */
export type BoundaryPlanes = "xy" | "all";

/**
 * The boundary map from the model run on xy slices, or (planes "all") on xy, xz and yz slices with
 * the three maps averaged: membranes lying almost flat in xy are seen edge-on in xz and yz. Three
 * times the inference. Progress counts slices over all the planes run.
 */
export async function predictBoundaryPlanes(
  model: BoundaryModel,
  grey: Uint8Array,
  shape: { x: number; y: number; z: number },
  planes: BoundaryPlanes,
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  if (planes === "xy") return predictBoundaryVolume(model, grey, shape, opts);
  const axes: SliceAxis[] = ["z", "y", "x"];
  const total = shape.z + shape.y + shape.x;
  const sum = new Uint16Array(grey.length);
  let before = 0;
  for (const axis of axes) {
    const d = reslicedDims(shape, axis);
    const map = await predictBoundaryVolume(model, axis === "z" ? grey : resliced(grey, shape, axis), d, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done) => opts.onProgress?.(before + done, total),
    });
    addResliced(sum, map, shape, axis);
    before += d.z;
  }
  const out = new Uint8Array(grey.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(sum[i]! / 3);
  return out;
}
