// `npm run bench:inference [-- --runs 30 --warmup 5 --json]`: milliseconds per 256² inference of the
// boundary model, onnxruntime-web (wasm, one thread: what the browser worker runs) against
// onnxruntime-node (ingest's server/ingest/boundary-model.ts, its default threads), measured in the
// same run on the same real input (slices 199–201 of the sample volume, normalised and cropped with
// core/model-io.ts). Prints the ratio web / node.
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as ortWeb from "onnxruntime-web";
import sharp from "sharp";
import { z } from "zod";
import { contextIndices, cropTile, MODEL_CONTEXT, preprocessSlices } from "@/core/model-io";
import { openModel, type OrtRuntimeLike } from "@/game/inference/model-session";
import { loadBoundaryModel, runModel } from "@/server/ingest/boundary-model";

const args = z
  .object({
    runs: z.coerce.number().int().min(1).max(10_000).default(30),
    warmup: z.coerce.number().int().min(0).max(1000).default(5),
    size: z.coerce.number().int().min(8).max(2048).multipleOf(8).default(256),
    json: z.boolean().default(false),
  })
  .strict()
  .parse(parseArgs(process.argv.slice(2)));

function parseArgs(argv: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === "json") out.json = true;
    else out[key] = argv[++i];
  }
  return out;
}

const MODEL = path.resolve("public", "models", "boundary.onnx");
const SLICES = path.resolve("data", "neuroproof-medulla", "slices");

async function main() {
  const n = args.size;
  const grey = await Promise.all(
    contextIndices(200, 250).map(async (z) => {
      const { data } = await sharp(path.join(SLICES, `iso.${2600 + z}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }),
  );
  const planes = preprocessSlices(grey, 250, 250);
  const input = cropTile(planes, MODEL_CONTEXT, 250, 250, 0, 0, n, n); // mirror-padded to n×n

  ortWeb.env.wasm.numThreads = 1;
  const web = await openModel(ortWeb as unknown as OrtRuntimeLike, new Uint8Array(readFileSync(MODEL)));
  if (!web.ok) throw new Error(web.reason);
  const node = await loadBoundaryModel(MODEL);

  const runs: Record<"web" | "node", () => Promise<unknown>> = {
    web: () => web.infer(input, n, n),
    node: () => runModel(node, input, 1, n, n),
  };
  for (let i = 0; i < args.warmup; i++) for (const run of Object.values(runs)) await run();
  // Interleaved, so drifts (thermal, other load) hit both alike.
  const ms = { web: [] as number[], node: [] as number[] };
  for (let i = 0; i < args.runs; i++) {
    for (const key of ["web", "node"] as const) {
      const t = performance.now();
      await runs[key]();
      ms[key].push(performance.now() - t);
    }
  }
  const stats = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return { median: s[s.length >> 1]!, mean: s.reduce((acc, x) => acc + x, 0) / s.length, min: s[0]! };
  };
  const webT = stats(ms.web);
  const nodeT = stats(ms.node);
  await node.close();
  await web.session.release?.();

  const result = {
    input: `[1, ${MODEL_CONTEXT}, ${n}, ${n}]`,
    runs: args.runs,
    warmup: args.warmup,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    web: { runtime: "onnxruntime-web 1.30 (wasm, 1 thread)", ...round(webT) },
    node: { runtime: "onnxruntime-node 1.30 (CPU, default threads)", ...round(nodeT) },
    ratioMedian: +(webT.median / nodeT.median).toFixed(2),
  };
  if (args.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(`boundary model, input ${result.input}, ${args.runs} runs after ${args.warmup} warm-up, ${result.cpus} × ${result.cpu}`);
  console.log("| runtime | median ms | mean ms | min ms |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const r of [result.web, result.node]) console.log(`| ${r.runtime} | ${r.median} | ${r.mean} | ${r.min} |`);
  console.log(`web / node (median): ${result.ratioMedian}×`);
}

function round(t: { median: number; mean: number; min: number }) {
  return { median: +t.median.toFixed(1), mean: +t.mean.toFixed(1), min: +t.min.toFixed(1) };
}

main().catch((err) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
