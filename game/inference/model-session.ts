/**
 * Opening the boundary model with an onnxruntime passed in (the worker passes onnxruntime-web; tests
 * pass it too, in Node): checks it against docs/model-contract.md and says in words why it cannot
 * serve when it cannot (corrupt file, wrong names, an input shape that does not fit). No onnxruntime
 * import here: the runtime is a parameter, so the worker stays the only module that imports it.
 */
import { MODEL_CONTEXT, MODEL_INPUT_NAME, MODEL_OUTPUT_NAME, MODEL_STRIDE, type InferTile } from "@/core/model-io";

/** The part of onnxruntime's API used here (onnxruntime-web and onnxruntime-node both fit it). */
export type OrtTensorLike = { dims: readonly number[]; data: unknown; dispose?(): void };
export type OrtSessionLike = {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata?: readonly ({ name: string; isTensor: true; shape: ReadonlyArray<number | string> } | { name: string; isTensor: false })[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensorLike | undefined>>;
  release?(): Promise<void>;
};
export type OrtRuntimeLike = {
  InferenceSession: { create(bytes: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike> };
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => unknown;
};

export type OpenedModel = { ok: true; session: OrtSessionLike; infer: InferTile } | { ok: false; reason: string };

/**
 * Why a loaded model cannot serve (null when it can): its input and output names and the input's
 * shape against docs/model-contract.md ([N, 3, H, W] float32 in, [N, 1, H, W] out).
 */
export function modelSignatureProblem(
  inputNames: readonly string[],
  outputNames: readonly string[],
  inputShape: ReadonlyArray<number | string> | null,
): string | null {
  const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(", ") || "none";
  if (!inputNames.includes(MODEL_INPUT_NAME)) return `the model has no input "${MODEL_INPUT_NAME}" (it has ${list(inputNames)})`;
  if (!outputNames.includes(MODEL_OUTPUT_NAME)) return `the model has no output "${MODEL_OUTPUT_NAME}" (it has ${list(outputNames)})`;
  if (inputShape && inputShape.length > 0) {
    const shown = `[${inputShape.join(", ")}]`;
    if (inputShape.length !== 4) return `the model's input shape ${shown} does not fit: expected [N, ${MODEL_CONTEXT}, H, W]`;
    const c = inputShape[1];
    if (typeof c === "number" && c !== MODEL_CONTEXT) return `the model's input shape ${shown} does not fit: expected ${MODEL_CONTEXT} channels (slices z-1, z, z+1)`;
    for (const d of [inputShape[2], inputShape[3]]) {
      if (typeof d === "number" && d > 0 && d % MODEL_STRIDE !== 0) return `the model's input shape ${shown} does not fit: H and W must be multiples of ${MODEL_STRIDE}`;
    }
  }
  return null;
}

/** Run one [1, 3, tileH, tileW] input through a session; the output is copied out of the runtime. */
export function inferWith(runtime: OrtRuntimeLike, session: OrtSessionLike): InferTile {
  return async (input, tileH, tileW) => {
    const out = await session.run({ [MODEL_INPUT_NAME]: new runtime.Tensor("float32", input, [1, MODEL_CONTEXT, tileH, tileW]) });
    const t = out[MODEL_OUTPUT_NAME];
    if (!t) throw new Error(`the model gave no "${MODEL_OUTPUT_NAME}" output`);
    const dims = t.dims;
    if (dims.length !== 4 || dims[0] !== 1 || dims[1] !== 1 || dims[2] !== tileH || dims[3] !== tileW) {
      throw new Error(`output shape [${dims.join(", ")}] for a ${tileH}×${tileW} input, expected [1, 1, ${tileH}, ${tileW}]`);
    }
    if (!(t.data instanceof Float32Array)) throw new Error("the model's output is not float32");
    const copy = new Float32Array(t.data);
    t.dispose?.();
    return copy;
  };
}

/** Open model bytes: a session and its inference function, or the reason it cannot serve. */
export async function openModel(runtime: OrtRuntimeLike, bytes: Uint8Array, options: Record<string, unknown> = {}): Promise<OpenedModel> {
  if (bytes.length === 0) return { ok: false, reason: "the suggestion model file is empty" };
  let session: OrtSessionLike;
  try {
    session = await runtime.InferenceSession.create(bytes, options);
  } catch (err) {
    return { ok: false, reason: `the suggestion model is corrupt or unreadable (${firstLine(err)})` };
  }
  const meta = session.inputMetadata?.find((m) => m.name === MODEL_INPUT_NAME);
  const problem = modelSignatureProblem(session.inputNames, session.outputNames, meta && meta.isTensor ? meta.shape : null);
  if (problem) {
    await session.release?.();
    return { ok: false, reason: problem };
  }
  // One tiny run proves the shapes really fit (metadata can be symbolic, or wrong).
  const infer = inferWith(runtime, session);
  const n = MODEL_STRIDE * 2;
  try {
    await infer(new Float32Array(MODEL_CONTEXT * n * n), n, n);
  } catch (err) {
    await session.release?.();
    return { ok: false, reason: `the model does not fit the input [1, ${MODEL_CONTEXT}, H, W] (${firstLine(err)})` };
  }
  return { ok: true, session, infer };
}

function firstLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  const line = m.split("\n")[0] ?? m;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
