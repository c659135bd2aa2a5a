/**
 * Our seeded watershed (core/watershed.ts) against skimage.segmentation.watershed on the same
 * boundary map and the same seeds, measured in one run.
 *
 *   npm run bench:watershed [-- --repeats 3 --model public/models/boundary.onnx]
 *
 * The boundary map is the committed model's prediction on the bundled 250³ sample. Both sides
 * flood the same uint8 map from the same markers with 6-connectivity; we report the best of
 * `repeats` runs each, the ratio, and how many voxels get the same label (ties may break apart).
 * Needs Debian's python3-skimage (/usr/bin/python3).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { distanceSeeds, watershed } from "@/core/watershed";
import { DEFAULT_SUPERVOXEL_PARAMS, makeSupervoxels } from "@/core/supervoxels";
import { loadBoundaryModel, predictBoundaryVolume, DEFAULT_MODEL_PATH } from "@/server/ingest/boundary-model";
import { readSlices } from "@/server/ingest/read-slices";
import { SAMPLE } from "@/server/cli/sample";

const args = z
  .object({ repeats: z.coerce.number().int().min(1).max(20), model: z.string().min(1), python: z.string().min(1) })
  .parse(
    parseArgs({
      args: process.argv.slice(2),
      options: {
        repeats: { type: "string", default: "3" },
        model: { type: "string", default: DEFAULT_MODEL_PATH },
        python: { type: "string", default: "/usr/bin/python3" },
      },
    }).values,
  );

const best = (xs: number[]) => Math.min(...xs);
const fmt = (s: number) => `${s.toFixed(3)} s`;

const slices = await readSlices(path.join(SAMPLE.dir, "slices"));
const shape = { x: slices.width, y: slices.height, z: slices.depth };
const n = shape.x * shape.y * shape.z;
const model = await loadBoundaryModel(args.model);
const boundary = await predictBoundaryVolume(model, slices.data, shape);
await model.close();
const { seeds, count } = distanceSeeds(boundary, shape, {
  threshold: DEFAULT_SUPERVOXEL_PARAMS.seedThreshold,
  minSeedDistance: DEFAULT_SUPERVOXEL_PARAMS.minSeedDistance,
});

const dir = mkdtempSync(path.join(os.tmpdir(), "axonaut-bench-ws-"));
try {
  const bFile = path.join(dir, "boundary.u8");
  const sFile = path.join(dir, "seeds.u32");
  const oFile = path.join(dir, "skimage.u32");
  writeFileSync(bFile, boundary);
  writeFileSync(sFile, Buffer.from(seeds.buffer, seeds.byteOffset, seeds.byteLength));

  // ours: flood only (same seeds), best of N
  const ours: number[] = [];
  let labels: Uint32Array = new Uint32Array(n);
  for (let r = 0; r < args.repeats; r++) {
    const t0 = performance.now();
    labels = watershed(boundary, seeds, shape, labels);
    ours.push((performance.now() - t0) / 1000);
  }
  // skimage, same process tree, same files
  const py = JSON.parse(
    execFileSync(args.python, [path.join("bench", "watershed_skimage.py"), bFile, sFile, String(shape.z), String(shape.y), String(shape.x), oFile, String(args.repeats)], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    }).trim().split("\n").pop()!,
  ) as { seconds: number[]; skimage: string };
  const raw = readFileSync(oFile);
  const sk = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  let same = 0;
  for (let i = 0; i < n; i++) if (sk[i] === labels[i]) same++;

  // the whole supervoxel step (seeds + flood + graph + agglomeration), for scale
  const t0 = performance.now();
  const sv = makeSupervoxels(boundary, shape);
  const pipeline = (performance.now() - t0) / 1000;

  const o = best(ours);
  const s = best(py.seconds);
  const rows: [string, string][] = [
    ["volume", `${shape.x}×${shape.y}×${shape.z} = ${n} voxels, ${count} seeds, 6-connectivity`],
    ["ours (core/watershed.ts)", `${fmt(o)}  (${(n / o / 1e6).toFixed(1)} M voxels/s; runs ${ours.map(fmt).join(", ")})`],
    [`skimage ${py.skimage} watershed`, `${fmt(s)}  (${(n / s / 1e6).toFixed(1)} M voxels/s; runs ${py.seconds.map(fmt).join(", ")})`],
    ["ratio skimage / ours", `${(s / o).toFixed(2)}× (${s >= o ? "ours faster" : "skimage faster"})`],
    ["same label", `${((100 * same) / n).toFixed(3)} % of voxels`],
    ["ours, whole supervoxel step", `${fmt(pipeline)} → ${sv.count} supervoxels (seeds ${fmt(sv.timings.seeds / 1000)}, flood ${fmt(sv.timings.watershed / 1000)}, graphs ${fmt(sv.timings["region-graph"] / 1000)}, agglomerate ${fmt(sv.timings.agglomerate / 1000)})`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log("Watershed benchmark (same boundary map and seeds, best of " + args.repeats + ")\n");
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
