// Opening the model with onnxruntime-web (its wasm backend, in Node): the real model serves; missing,
// corrupt and ill-fitting models are refused with a reason a player can read.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as ortWeb from "onnxruntime-web";
import { beforeAll, describe, expect, it } from "vitest";
import { modelSignatureProblem, openModel, type OrtRuntimeLike } from "./model-session";
import { identityModel } from "./onnx-fixture.testutil";

const runtime = ortWeb as unknown as OrtRuntimeLike;
const MODEL = path.resolve("public", "models", "boundary.onnx");

beforeAll(() => {
  ortWeb.env.wasm.numThreads = 1;
});

describe("openModel", () => {
  it("opens the committed model and runs a tile of any multiple-of-8 size", async () => {
    const m = await openModel(runtime, new Uint8Array(readFileSync(MODEL)));
    expect(m.ok, m.ok ? "" : m.reason).toBe(true);
    if (!m.ok) return;
    const out = await m.infer(new Float32Array(3 * 24 * 40), 24, 40);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out.length).toBe(24 * 40);
    for (const p of out) expect(p >= 0 && p <= 1).toBe(true);
    await m.session.release?.();
  });

  it("refuses an empty file", async () => {
    expect(await openModel(runtime, new Uint8Array())).toEqual({ ok: false, reason: "the suggestion model file is empty" });
  });

  it("refuses a corrupt file, and a truncated model", async () => {
    const junk = await openModel(runtime, new TextEncoder().encode("<html>404 not found</html>"));
    expect(junk.ok).toBe(false);
    if (!junk.ok) expect(junk.reason).toMatch(/^the suggestion model is corrupt or unreadable \(/);
    const real = new Uint8Array(readFileSync(MODEL));
    const cut = await openModel(runtime, real.subarray(0, real.length >> 1));
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.reason).toMatch(/corrupt or unreadable/);
  });

  it("refuses a model whose input has one channel instead of three", async () => {
    const m = await openModel(runtime, identityModel({ name: "input", dims: ["N", 1, "H", "W"] }, { name: "boundary", dims: ["N", 1, "H", "W"] }));
    expect(m).toEqual({ ok: false, reason: "the model's input shape [N, 1, H, W] does not fit: expected 3 channels (slices z-1, z, z+1)" });
  });

  it("refuses a model with other input or output names", async () => {
    const m = await openModel(runtime, identityModel({ name: "x", dims: ["N", 3, "H", "W"] }, { name: "boundary", dims: ["N", 3, "H", "W"] }));
    expect(m).toEqual({ ok: false, reason: 'the model has no input "input" (it has "x")' });
    const o = await openModel(runtime, identityModel({ name: "input", dims: ["N", 3, "H", "W"] }, { name: "probs", dims: ["N", 3, "H", "W"] }));
    expect(o).toEqual({ ok: false, reason: 'the model has no output "boundary" (it has "probs")' });
  });

  it("refuses a model whose shapes only fail when it runs (symbolic metadata, three-channel output)", async () => {
    const m = await openModel(runtime, identityModel({ name: "input", dims: ["N", "C", "H", "W"] }, { name: "boundary", dims: ["N", "C", "H", "W"] }));
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.reason).toMatch(/^the model does not fit the input \[1, 3, H, W\] \(output shape \[1, 3, 16, 16\]/);
  });

  it("refuses a fixed input size that is not a multiple of 8", async () => {
    const m = await openModel(runtime, identityModel({ name: "input", dims: [1, 3, 20, 20] }, { name: "boundary", dims: [1, 3, 20, 20] }));
    expect(m).toEqual({ ok: false, reason: "the model's input shape [1, 3, 20, 20] does not fit: H and W must be multiples of 8" });
  });
});

describe("modelSignatureProblem", () => {
  it("accepts the contract's signature, symbolic or fixed", () => {
    expect(modelSignatureProblem(["input"], ["boundary"], ["N", 3, "H", "W"])).toBeNull();
    expect(modelSignatureProblem(["input"], ["boundary"], [1, 3, 256, 256])).toBeNull();
    expect(modelSignatureProblem(["input"], ["boundary"], null)).toBeNull();
  });

  it("names what does not fit", () => {
    expect(modelSignatureProblem([], ["boundary"], null)).toBe('the model has no input "input" (it has none)');
    expect(modelSignatureProblem(["input"], ["boundary"], [3, 256, 256])).toMatch(/input shape \[3, 256, 256\] does not fit: expected \[N, 3, H, W\]/);
  });
});
