/**
 * Our TEASAR skeletonization (core/skeleton.ts) against skimage's 3D thinning
 * (skimage.morphology.skeletonize_3d, Lee et al. 1994) on the largest ground-truth neurons of the
 * bundled NeuroProof sample (250³ voxels, 10 nm), on the same masks, in the same run.
 *
 *   npm run bench:skeleton [-- --neurons 3 --repeats 1 --python /usr/bin/python3]
 *
 * Each side runs in a fresh process of its own (ours: node, theirs: python) so that peak memory
 * (ru_maxrss) is its own: "Δ peak" is the peak minus the process's size with the mask loaded.
 * Time: best of `repeats`. Agreement: our nodes within 2 voxels of skimage's skeleton voxels
 * (precision) and skimage's voxels within 2 voxels of our edges (recall), core/skeleton-metrics.ts.
 * Ours returns a tree (parents, one per piece) with radii in nm; skimage returns a set of voxels.
 * Needs Debian's python3-skimage.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { skeletonize, type Skeleton } from "@/core/skeleton";
import { nodePoints, precisionRecall, skeletonSegments, type Segment } from "@/core/skeleton-metrics";
import { SAMPLE_SHAPE, loadSampleLabels } from "@/core/sample-labels.testutil";
import { parseCommandLine } from "@/server/cli/args";

const VS = { x: 10, y: 10, z: 10 };
const shape = SAMPLE_SHAPE;
const self = fileURLToPath(import.meta.url);

// Child mode: skeletonize one mask file, print JSON (time, memory, the skeleton).
if (process.argv[2] === "--child") {
  const [, , , file, repeats, outFile] = process.argv;
  const mask = new Uint8Array(readFileSync(file!));
  const base = process.resourceUsage().maxRSS / 1024;
  const secs: number[] = [];
  let s: Skeleton = { nodes: [] };
  for (let i = 0; i < Number(repeats); i++) {
    const t = performance.now();
    s = skeletonize(mask, shape, { voxelSize: VS });
    secs.push((performance.now() - t) / 1000);
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  // A file, not stdout: exiting right after a large write to a pipe can cut it short.
  writeFileSync(outFile!, JSON.stringify({ seconds: secs, base_mb: base, peak_mb: peak, skeleton: s }));
  process.exit(0);
}

const args = parseCommandLine(process.argv.slice(2), {
  options: { neurons: { type: "string", default: "3" }, repeats: { type: "string", default: "1" }, python: { type: "string", default: "/usr/bin/python3" } },
  schema: z.object({
    "--neurons": z.coerce.number().int().min(1, "must be at least 1").max(20, "must be at most 20"),
    "--repeats": z.coerce.number().int().min(1, "must be at least 1").max(10, "must be at most 10"),
    "--python": z.string().min(1),
  }),
});
if (args === "help") {
  console.log("usage: npm run bench:skeleton -- [--neurons 3] [--repeats 1] [--python /usr/bin/python3]");
  process.exit(0);
}

const gt = loadSampleLabels("ground-truth");
const counts = new Map<number, number>();
for (const l of gt) if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, args["--neurons"]);

type Row = { id: number; voxels: number; ours: number; theirs: number; oursMem: number; theirsMem: number; oursPeak: number; theirsPeak: number; nodes: number; roots: number; skVoxels: number; precision: number; recall: number; version: string };
const rows: Row[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), "axonaut-bench-skel-"));
try {
  for (const [id, voxels] of ranked) {
    const mask = new Uint8Array(gt.length);
    for (let i = 0; i < gt.length; i++) mask[i] = gt[i] === id ? 1 : 0;
    const mFile = path.join(dir, `mask-${id}.u8`);
    const oFile = path.join(dir, `skimage-${id}.u8`);
    writeFileSync(mFile, mask);
    const jFile = path.join(dir, `ours-${id}.json`);
    execFileSync(process.execPath, ["--import", "tsx", self, "--child", mFile, String(args["--repeats"]), jFile], { stdio: "inherit" });
    const ours = JSON.parse(readFileSync(jFile, "utf8")) as { seconds: number[]; base_mb: number; peak_mb: number; skeleton: Skeleton };
    const theirs = JSON.parse(
      execFileSync(args["--python"], [path.join("bench", "skeleton_skimage.py"), mFile, String(shape.z), String(shape.y), String(shape.x), String(args["--repeats"]), oFile], { encoding: "utf8" }),
    ) as { seconds: number[]; base_mb: number; peak_mb: number; voxels: number; skimage: string };
    const sk = new Uint8Array(readFileSync(oFile));
    const skPts: { x: number; y: number; z: number }[] = [];
    for (let i = 0; i < sk.length; i++) if (sk[i]) skPts.push({ x: (i % shape.x) * VS.x, y: (Math.floor(i / shape.x) % shape.y) * VS.y, z: Math.floor(i / (shape.x * shape.y)) * VS.z });
    const skSegs: Segment[] = skPts.map((p) => [p, p]);
    const pr = precisionRecall(nodePoints(ours.skeleton, VS), skeletonSegments(ours.skeleton, VS), skPts, skSegs, 2 * VS.x);
    // Recall the other way round: skimage's voxels against our edges.
    const rc = precisionRecall(skPts, skSegs, nodePoints(ours.skeleton, VS), skeletonSegments(ours.skeleton, VS), 2 * VS.x);
    rows.push({
      id, voxels,
      ours: Math.min(...ours.seconds), theirs: Math.min(...theirs.seconds),
      oursMem: ours.peak_mb - ours.base_mb, theirsMem: theirs.peak_mb - theirs.base_mb,
      oursPeak: ours.peak_mb, theirsPeak: theirs.peak_mb,
      nodes: ours.skeleton.nodes.length, roots: ours.skeleton.nodes.filter((n) => n.parent < 0).length,
      skVoxels: theirs.voxels, precision: pr.precision, recall: rc.precision, version: theirs.skimage,
    });
    process.stderr.write(`body ${id}: done\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const head = ["body", "voxels", "ours s", "skimage s", "time ratio (skimage/ours)", "ours Δpeak MB", "skimage Δpeak MB", "memory ratio (skimage/ours)", "ours peak MB", "skimage peak MB", "ours nodes (trees)", "skimage voxels", "node prec. / recall vs skimage (2 vx)"];
const body = rows.map((r) => [
  String(r.id), String(r.voxels), r.ours.toFixed(2), r.theirs.toFixed(2), `${(r.theirs / r.ours).toFixed(2)}×`,
  r.oursMem.toFixed(0), r.theirsMem.toFixed(0), `${(r.theirsMem / Math.max(1, r.oursMem)).toFixed(2)}×`,
  r.oursPeak.toFixed(0), r.theirsPeak.toFixed(0), `${r.nodes} (${r.roots})`, String(r.skVoxels), `${r.precision.toFixed(3)} / ${r.recall.toFixed(3)}`,
]);
const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
const line = (c: string[]) => `| ${c.map((x, i) => x.padStart(widths[i]!)).join(" | ")} |`;
console.log(`Skeletonization of the ${rows.length} largest NeuroProof ground-truth neurons (250³, 10 nm): ours (TEASAR, node ${process.version}) vs skimage ${rows[0]?.version} skeletonize_3d, best of ${args["--repeats"]}`);
console.log(line(head));
console.log(`| ${widths.map((w) => `${"-".repeat(w - 1)}:`).join(" | ")} |`);
for (const b of body) console.log(line(b));
const tot = (k: "ours" | "theirs") => rows.reduce((a, r) => a + r[k], 0);
const ratio = tot("theirs") / tot("ours");
console.log(`\ntotal: ours ${tot("ours").toFixed(2)} s, skimage ${tot("theirs").toFixed(2)} s: skimage/ours = ${ratio.toFixed(2)}× (${ratio >= 1 ? `ours ${ratio.toFixed(1)}× faster` : `ours ${(1 / ratio).toFixed(1)}× slower`})`);
console.log("ours gives a tree (parent per node, one root per connected piece) with radii in nm; skimage gives only a set of voxels (no tree, no radii).");
