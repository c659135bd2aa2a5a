/**
 * Ingest throughput of the bundled 250³ sample, by stage, in voxels per second: the full ingest
 * with the boundary model making the supervoxels (what `npm start` does on first start), and, in
 * the same run, the ingest of the shipped supervoxel file for comparison.
 *
 *   npm run bench:ingest
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SAMPLE } from "@/server/cli/sample";
import { ingestVolume, INGEST_STAGES, type IngestStage } from "@/server/ingest/ingest";

const voxels = 250 * 250 * 250;

async function timed(opts: { supervoxels?: string }): Promise<{ total: number; stages: Map<IngestStage, number> }> {
  const store = mkdtempSync(path.join(os.tmpdir(), "axonaut-bench-ingest-"));
  const stages = new Map<IngestStage, number>();
  let cur: IngestStage | null = null;
  let since = 0;
  const t0 = performance.now();
  try {
    await ingestVolume({
      source: path.join(SAMPLE.dir, "slices"),
      name: "bench",
      voxelSize: SAMPLE.voxelSize,
      groundTruth: SAMPLE.groundTruth,
      storeDir: store,
      ...opts,
      onProgress: (p) => {
        const now = performance.now();
        if (p.stage !== cur) {
          if (cur) stages.set(cur, (stages.get(cur) ?? 0) + now - since);
          cur = p.stage;
          since = now;
        }
      },
    });
    const end = performance.now();
    if (cur) stages.set(cur, (stages.get(cur) ?? 0) + end - since);
    return { total: end - t0, stages };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

const withModel = await timed({});
const withFile = await timed({ supervoxels: SAMPLE.shippedSupervoxels });

const rate = (ms: number | undefined) => (ms === undefined ? "" : `${(voxels / (ms / 1000) / 1e6).toFixed(1)} M/s`);
const sec = (ms: number | undefined) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`);
const head = ["stage", "model: time", "voxels/s", "file: time", "voxels/s"];
const rows = INGEST_STAGES.filter((s) => withModel.stages.has(s) || withFile.stages.has(s)).map((s) => [
  s,
  sec(withModel.stages.get(s)),
  rate(withModel.stages.get(s)),
  sec(withFile.stages.get(s)),
  rate(withFile.stages.get(s)),
]);
rows.push(["total", sec(withModel.total), rate(withModel.total), sec(withFile.total), rate(withFile.total)]);
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (c: string[]) => `| ${c.map((x, i) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join(" | ")} |`;
console.log(`Ingest of the 250³ sample (${voxels} voxels), ${os.availableParallelism()} CPU(s); "model" = supervoxels from public/models/boundary.onnx, "file" = the shipped supervoxels\n`);
console.log(line(head));
console.log(`| ${w.map((n, i) => (i === 0 ? "-".repeat(n) : `${"-".repeat(n - 1)}:`)).join(" | ")} |`);
for (const r of rows) console.log(line(r));
console.log(`\nratio total model / file: ${(withModel.total / withFile.total).toFixed(2)}×`);
