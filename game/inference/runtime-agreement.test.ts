// The same real tile through onnxruntime-node (ingest's server/ingest/boundary-model.ts) and
// onnxruntime-web (its wasm backend runs in Node too; opened with the worker's own model-session.ts),
// both with the shared pre/post-processing of core/model-io.ts: the boundary maps agree within 1e-3.
// The real committed model and real slices of the sample volume; nothing is mocked.
// (A test may import both runtimes; app code keeps to one importer each: scripts/boundaries.test.ts.)
import { readFileSync } from "node:fs";
import path from "node:path";
import * as ortWeb from "onnxruntime-web";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextIndices, predictPlane } from "@/core/model-io";
import { loadBoundaryModel, runModel, type BoundaryModel } from "@/server/ingest/boundary-model";
import { openModel, type OrtRuntimeLike } from "./model-session";

const MODEL = path.resolve("public", "models", "boundary.onnx");
const SLICES = path.resolve("data", "neuroproof-medulla", "slices");
const DEPTH = 250;

async function slice(z: number): Promise<{ pixels: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(path.join(SLICES, `iso.${2600 + z}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected grey, got ${info.channels} channels`);
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

let nodeModel: BoundaryModel;
let web: Awaited<ReturnType<typeof openModel>>;

beforeAll(async () => {
  ortWeb.env.wasm.numThreads = 1;
  nodeModel = await loadBoundaryModel(MODEL);
  web = await openModel(ortWeb as unknown as OrtRuntimeLike, new Uint8Array(readFileSync(MODEL)));
});

afterAll(async () => {
  await nodeModel?.close();
  if (web?.ok) await web.session.release?.();
});

describe("onnxruntime-node and onnxruntime-web on the same real tile", () => {
  it.each([
    ["a 256² tile (the whole 250² slice 200, mirror-padded)", 200, 256],
    ["128² tiles with overlap (slice 120, 9 tiles blended)", 120, 128],
  ])("%s: outputs agree within 1e-3", async (_name, z, tile) => {
    expect(web.ok, web.ok ? "" : web.reason).toBe(true);
    if (!web.ok) return;
    const ctx = await Promise.all(contextIndices(z, DEPTH).map(slice));
    const { width, height } = ctx[0]!;
    const grey = ctx.map((c) => c.pixels);

    const onNode = await predictPlane((input, h, w) => runModel(nodeModel, input, 1, h, w), grey, width, height, { tile });
    const onWeb = await predictPlane(web.infer, grey, width, height, { tile });

    expect(onWeb.length).toBe(width * height);
    let maxDiff = 0;
    for (let i = 0; i < onNode.length; i++) maxDiff = Math.max(maxDiff, Math.abs(onNode[i]! - onWeb[i]!));
    expect(maxDiff).toBeLessThan(1e-3);

    // Not a degenerate map: real boundaries (high) and cell interiors (low) are both there.
    let high = 0;
    let low = 0;
    for (const p of onNode) {
      if (p > 0.8) high++;
      else if (p < 0.2) low++;
    }
    expect(high / onNode.length).toBeGreaterThan(0.02);
    expect(low / onNode.length).toBeGreaterThan(0.2);
  });
});
