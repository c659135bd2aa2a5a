/**
 * Segmentation quality of an ingested dataset's supervoxels against its ground truth, side by side
 * with a baseline over-segmentation.
 *
 *   npm run eval:segmentation -- [--dataset <slug>] [--z <from>-<to>] [--baseline <slug | labels.u32.raw.gz>]
 *                                [--store <dir>] [--json]
 *
 * Columns: "ours" (the boundary model + watershed: the dataset's supervoxels when ingest made them,
 * otherwise made now from the stored level-0 tiles with public/models/boundary.onnx), the dataset's
 * own supervoxels when they came from a file, and an optional --baseline. Defaults: the bundled
 * sample (neuroproof-medulla) on its test slab z 175-249, beside the shipped NeuroProof
 * over-segmentation; any other dataset on its whole volume.
 * Exit code 0, or 1 with one line "error: ..." on bad input.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { segmentationScores, type SegmentationScores } from "@/core/segmentation-metrics";
import { errorText } from "@/server/ingest/errors";
import type { Manifest } from "@/server/ingest/manifest";
import { readLabels } from "@/server/ingest/read-labels";
import { loadLabelBox, readManifest, storeRoot, tilePath } from "@/server/store/store";
import { makeSupervoxels } from "@/core/supervoxels";
import { DEFAULT_MODEL_PATH, loadBoundaryModel, predictBoundaryVolume } from "@/server/ingest/boundary-model";
import sharp from "sharp";
import { SAMPLE } from "./sample";
import { argsOrExitCode, datasetSlugOption, runIfMain, zRangeOption, parseCommandLine, UsageError } from "./args";

const USAGE = `usage: npm run eval:segmentation -- [--dataset <slug>] [--z <from>-<to>] [--baseline <slug | labels.u32.raw.gz>] [--store <dir>] [--no-ours] [--json]

  --dataset   ingested dataset with ground truth (default: ${SAMPLE.slug})
  --z         slices to evaluate, inclusive (default: the sample's test slab ${SAMPLE.split.test.join("-")}, else all)
  --baseline  another dataset's supervoxels, or a gzipped raw uint32 label file of the same shape
              (default for the sample: the shipped NeuroProof over-segmentation)
  --store     store folder (default: $AXONAUT_STORE or .data/store)
  --no-ours   do not run the boundary model when the dataset's supervoxels are not the model's
              (by default "ours" are made now from the stored tiles, as ingest would)
  --json      print the figures as JSON`;

const argsSchema = z.object({
  "--dataset": datasetSlugOption.default(SAMPLE.slug),
  "--z": zRangeOption.optional(),
  "--baseline": z.string().trim().min(1, "must not be empty").optional(),
  "--store": z.string().trim().min(1, "must not be empty").optional(),
  "--json": z.boolean(),
  "--ours": z.boolean(),
});
export type EvalArgs = z.output<typeof argsSchema>;

export { UsageError };

export function parseEvalArgs(argv: string[]): EvalArgs | "help" {
  return parseCommandLine(argv, {
    options: {
      dataset: { type: "string" },
      z: { type: "string" },
      baseline: { type: "string" },
      store: { type: "string" },
      json: { type: "boolean", default: false },
      ours: { type: "boolean", default: true },
      "no-ours": { type: "boolean", default: false },
    },
    schema: argsSchema,
    prepare: ({ "--no-ours": noOurs, ...rest }) => (noOurs ? { ...rest, "--ours": false } : rest),
  });
}

export type EvalColumn = { label: string; source: string; scores: SegmentationScores };
export type EvalResult = {
  dataset: string;
  name: string;
  z: [number, number];
  slab: string | null;
  columns: EvalColumn[];
  notes: string[];
};

async function loadWhole(slug: string, kind: "supervoxels" | "ground-truth", m: Manifest): Promise<Uint32Array> {
  return loadLabelBox(slug, kind, { x0: 0, y0: 0, z0: 0, x1: m.shape.x, y1: m.shape.y, z1: m.shape.z }, m);
}

async function manifestOf(slug: string, store: string): Promise<Manifest> {
  if (!existsSync(path.join(store, slug, "manifest.json"))) {
    const hint = slug === SAMPLE.slug ? " (npm run setup, or npm start, ingests it)" : " (ingest it with npm run ingest)";
    throw new UsageError(`dataset "${slug}" is not in the store ${store}${hint}`);
  }
  return readManifest(slug);
}

/** The level-0 grey volume of a dataset, from its stored tiles (z,y,x uint8). */
export async function readGreyFromTiles(slug: string, m: Manifest): Promise<Uint8Array> {
  const { x: W, y: H, z: Z } = m.shape;
  const out = new Uint8Array(W * H * Z);
  const cols = Math.ceil(W / m.tileSize);
  const rows = Math.ceil(H / m.tileSize);
  for (let z = 0; z < Z; z++) {
    for (let ty = 0; ty < rows; ty++) {
      for (let tx = 0; tx < cols; tx++) {
        const { data, info } = await sharp(tilePath(slug, 0, z, ty, tx)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
        for (let y = 0; y < info.height; y++) {
          const o = (z * H + ty * m.tileSize + y) * W + tx * m.tileSize;
          out.set(data.subarray(y * info.width, (y + 1) * info.width), o);
        }
      }
    }
  }
  return out;
}

/** Our supervoxels for a stored dataset: the committed model over its level-0 tiles, then core/supervoxels.ts. */
async function oursFromTiles(slug: string, m: Manifest, modelFile: string): Promise<Uint32Array> {
  const grey = await readGreyFromTiles(slug, m);
  const model = await loadBoundaryModel(modelFile);
  try {
    const boundary = await predictBoundaryVolume(model, grey, m.shape);
    return makeSupervoxels(boundary, m.shape).labels;
  } finally {
    await model.close();
  }
}

/**
 * Run the evaluation (store = the folder datasets live in). Columns: ours (the dataset's own
 * supervoxels when the model made them at ingest, else the committed model run now on its tiles),
 * then the dataset's own supervoxels when they came from a file, then --baseline (default for the
 * sample: the shipped over-segmentation, when not already a column).
 */
export async function evaluateSegmentation(args: EvalArgs, store: string, modelFile = DEFAULT_MODEL_PATH): Promise<EvalResult> {
  process.env.AXONAUT_STORE = store; // server/store reads it
  const slug = args["--dataset"];
  const m = await manifestOf(slug, store);
  if (!m.hasGroundTruth) throw new UsageError(`dataset "${slug}" has no ground truth to evaluate against (ingest it with --ground-truth)`);
  const isSample = slug === SAMPLE.slug;
  const zr: [number, number] = args["--z"] ?? (isSample ? [...SAMPLE.split.test] : [0, m.shape.z - 1]);
  if (zr[1] >= m.shape.z) throw new UsageError(`--z ${zr[0]}-${zr[1]} is outside the volume (z 0-${m.shape.z - 1})`);
  const plane = m.shape.x * m.shape.y;
  const gt = await loadWhole(slug, "ground-truth", m);
  const score = (seg: Uint32Array) => segmentationScores(seg, gt, plane, zr[0], zr[1] + 1);
  const columns: EvalColumn[] = [];
  const modelMade = m.hasSupervoxels && m.supervoxelSource === "model";
  if (modelMade) {
    columns.push({ label: "ours", source: "made at ingest", scores: score(await loadWhole(slug, "supervoxels", m)) });
  } else if (args["--ours"]) {
    columns.push({ label: "ours", source: `${path.basename(modelFile)} on the stored tiles, now`, scores: score(await oursFromTiles(slug, m, modelFile)) });
  }
  let own: string | null = null;
  if (m.hasSupervoxels && !modelMade) {
    own = slug;
    const label = isSample ? "shipped NeuroProof" : slug;
    columns.push({ label, source: "the dataset's supervoxels", scores: score(await loadWhole(slug, "supervoxels", m)) });
  }

  let baseline = args["--baseline"];
  if (baseline === undefined && isSample && own === null && existsSync(SAMPLE.shippedSupervoxels)) baseline = SAMPLE.shippedSupervoxels;
  if (baseline !== undefined) {
    const asSlug = /^[a-z0-9][a-z0-9-]{0,62}$/.test(baseline) && existsSync(path.join(store, baseline, "manifest.json"));
    let seg: Uint32Array;
    let label: string;
    if (asSlug) {
      const bm = await readManifest(baseline);
      if (bm.shape.x !== m.shape.x || bm.shape.y !== m.shape.y || bm.shape.z !== m.shape.z) {
        throw new UsageError(`baseline dataset "${baseline}" has another shape than "${slug}"`);
      }
      if (!bm.hasSupervoxels) throw new UsageError(`baseline dataset "${baseline}" has no supervoxels`);
      seg = await loadWhole(baseline, "supervoxels", bm);
      label = baseline;
    } else {
      if (!existsSync(baseline)) throw new UsageError(`--baseline ${baseline} is neither a dataset in ${store} nor a label file`);
      seg = await readLabels(baseline, m.shape);
      label = path.resolve(baseline) === SAMPLE.shippedSupervoxels ? "shipped NeuroProof" : path.basename(baseline);
    }
    columns.push({ label, source: asSlug ? "dataset" : "label file", scores: score(seg) });
  }
  if (columns.length === 0) throw new UsageError(`dataset "${slug}" has no supervoxels and --no-ours leaves nothing to evaluate`);
  const split = SAMPLE.split;
  const slab = !isSample
    ? null
    : zr[0] === split.test[0] && zr[1] === split.test[1]
      ? "test slab"
      : zr[0] === split.validation[0] && zr[1] === split.validation[1]
        ? "validation slab"
        : null;
  return { dataset: slug, name: m.name, z: zr, slab, columns, notes: [] };
}

const ROWS: { key: keyof SegmentationScores; label: string; fmt: (v: number) => string }[] = [
  { key: "viSplit", label: "VI split (bits) ↓", fmt: (v) => v.toFixed(3) },
  { key: "viMerge", label: "VI merge (bits) ↓", fmt: (v) => v.toFixed(3) },
  { key: "adaptedRandError", label: "adapted Rand error ↓", fmt: (v) => v.toFixed(4) },
  { key: "purity", label: "voxel purity ↑", fmt: (v) => `${(100 * v).toFixed(2)} %` },
  { key: "supervoxelsPerNeuron", label: "supervoxels per neuron ↓", fmt: (v) => v.toFixed(2) },
  { key: "segments", label: "supervoxels in range", fmt: (v) => String(v) },
  { key: "bodies", label: "ground-truth neurons in range", fmt: (v) => String(v) },
];

export function formatTable(r: EvalResult): string {
  const head = ["measure", ...r.columns.map((c) => `${c.label} (${c.source})`)];
  const rows = ROWS.map((row) => [row.label, ...r.columns.map((c) => row.fmt(c.scores[row.key]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const out = [
    `Segmentation of "${r.name}" (${r.dataset}), z ${r.z[0]}-${r.z[1]}${r.slab ? ` (${r.slab})` : ""}, ${r.columns[0]!.scores.voxels} voxels with ground truth`,
    "",
    line(head),
    `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`,
    ...rows.map(line),
  ];
  if (r.columns.length === 2) {
    const [a, b] = r.columns as [EvalColumn, EvalColumn];
    const d = a.scores.supervoxelsPerNeuron / b.scores.supervoxelsPerNeuron - 1;
    const dp = 100 * (a.scores.purity - b.scores.purity);
    out.push(
      "",
      `${a.label} vs ${b.label}: ${d <= 0 ? "" : "+"}${(100 * d).toFixed(1)} % supervoxels per neuron, ` +
        `${dp >= 0 ? "+" : ""}${dp.toFixed(2)} points purity`,
    );
  }
  for (const n of r.notes) out.push("", `note: ${n}`);
  return out.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const parsed = argsOrExitCode(parseEvalArgs, argv, USAGE);
  if ("exitCode" in parsed) return parsed.exitCode;
  const args = parsed.args;
  const store = args["--store"] ? path.resolve(args["--store"]) : storeRoot();
  try {
    const r = await evaluateSegmentation(args, store);
    process.stdout.write(args["--json"] ? `${JSON.stringify(r, null, 2)}\n` : `${formatTable(r)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`error: ${errorText(e)}\n`);
    return 1;
  }
}

runIfMain(import.meta.url, main);
