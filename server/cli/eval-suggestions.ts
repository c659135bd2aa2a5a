/**
 * How many clicks suggestions save: a simulated player traces the largest ground-truth neurons of a
 * slab up to a voxel F1 target, once without suggestions and once with them.
 *
 *   npm run eval:suggestions -- [--dataset <slug>] [--z <from>-<to>] [--neurons 20] [--target 0.9]
 *                               [--model <onnx>] [--store <dir>] [--json]
 *
 * Defaults: the bundled sample (neuroproof-medulla) on its test slab z 175-249 (never seen in
 * training or tuning), the 20 largest neurons there, 90 % voxel F1, the committed model.
 *
 * The boundary map comes from the model (server/ingest/boundary-model.ts, onnxruntime-node, the same
 * pre/post-processing as the browser worker), the contact graph and the ranking from
 * core/suggestions.ts with the game's defaults (tuned on the validation slab z 150-174): the same
 * suggestions the game would show, over the whole slab instead of a window of slices.
 *
 * The player starts from the seed (the supervoxel with the most voxels of the neuron):
 *   without  it clicks, each time, the supervoxel that raises the F1 most (an oracle: the fewest
 *            clicks any player could need, one supervoxel per click).
 *   with     it looks at the best suggestion; if ground truth confirms it (most of the voxels it adds
 *            belong to the neuron) it presses Space (adds the suggestion's group), else X (dismissed
 *            for good). When nothing is suggested it clicks like the oracle.
 * Both stop at the target F1, or when nothing raises the F1 any more ("not reached"). Reported: mouse
 * clicks, and all actions (clicks + key presses), each as a ratio without / with.
 * Exit code 0, or 1 with one line "error: ..." on bad input.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { buildContactGraph, rankSuggestions, type ContactGraph, type SuggestOptions } from "@/core/suggestions";
import { errorText } from "@/server/ingest/errors";
import type { Manifest } from "@/server/ingest/manifest";
import { DEFAULT_MODEL_PATH, loadBoundaryModel, predictBoundaryVolume } from "@/server/ingest/boundary-model";
import { loadLabelBox, readManifest, storeRoot, tilePath } from "@/server/store/store";
import { SAMPLE } from "./sample";
import { argsOrExitCode, datasetSlugOption, runIfMain, zRangeOption, parseCommandLine, UsageError } from "./args";

const USAGE = `usage: npm run eval:suggestions -- [--dataset <slug>] [--z <from>-<to>] [--neurons <n>] [--target <f1>] [--model <onnx>] [--store <dir>] [--json]

  --dataset   ingested dataset with ground truth (default: ${SAMPLE.slug})
  --z         slices to trace in, inclusive (default: the sample's test slab ${SAMPLE.split.test.join("-")}, else all)
  --neurons   how many of the largest ground-truth neurons in the slab (default 20)
  --target    voxel F1 to reach (default 0.9)
  --model     boundary model (default: public/models/boundary.onnx)
  --store     store folder (default: $AXONAUT_STORE or .data/store)
  --json      print the figures as JSON`;

const argsSchema = z.object({
  "--dataset": datasetSlugOption.default(SAMPLE.slug),
  "--z": zRangeOption.optional(),
  "--neurons": z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(500, "must be at most 500").default(20),
  "--target": z.coerce.number().gt(0, "must be in (0, 1]").max(1, "must be in (0, 1]").default(0.9),
  "--model": z.string().trim().min(1, "must not be empty").optional(),
  "--store": z.string().trim().min(1, "must not be empty").optional(),
  "--json": z.boolean(),
});
export type EvalSuggestionsArgs = z.output<typeof argsSchema>;

export { UsageError };

export function parseEvalSuggestionsArgs(argv: string[]): EvalSuggestionsArgs | "help" {
  return parseCommandLine(argv, {
    options: {
      dataset: { type: "string" },
      z: { type: "string" },
      neurons: { type: "string" },
      target: { type: "string" },
      model: { type: "string" },
      store: { type: "string" },
      json: { type: "boolean", default: false },
    },
    schema: argsSchema,
  });
}

// --- the simulated player (pure) ---------------------------------------------------------------

export type NeuronTruth = {
  /** Voxels of the neuron in the slab. */
  size: number;
  /** Supervoxel → voxels of it inside the neuron. */
  overlap: Map<number, number>;
  /** Supervoxel → all its voxels in the slab. */
  sizes: ReadonlyMap<number, number>;
};

export type PlayResult = {
  /** Every action: mouse clicks, and with suggestions also the Space / X key presses. */
  clicks: number;
  /** With suggestions: how the clicks split. */
  accepted: number;
  dismissed: number;
  manual: number;
  f1: number;
  reached: boolean;
};

const MAX_ACTIONS = 5000;

class Trace {
  inter = 0;
  selectedVoxels = 0;
  readonly selected = new Set<number>();
  constructor(private readonly t: NeuronTruth) {}
  add(ids: Iterable<number>): void {
    for (const id of ids) {
      if (this.selected.has(id)) continue;
      this.selected.add(id);
      this.inter += this.t.overlap.get(id) ?? 0;
      this.selectedVoxels += this.t.sizes.get(id) ?? 0;
    }
  }
  f1(extraInter = 0, extraVoxels = 0): number {
    return (2 * (this.inter + extraInter)) / (this.selectedVoxels + extraVoxels + this.t.size);
  }
  /** The supervoxel whose addition raises the F1 most, or null when none raises it. */
  bestClick(): number | null {
    let best: number | null = null;
    let bestF = this.f1();
    for (const [id, o] of this.t.overlap) {
      if (this.selected.has(id)) continue;
      const f = this.f1(o, this.t.sizes.get(id) ?? 0);
      if (f > bestF + 1e-12 || (best !== null && f === bestF && id < best)) {
        best = id;
        bestF = f;
      }
    }
    return best;
  }
}

/** The supervoxel with the most voxels of the neuron. */
export function seedOf(t: NeuronTruth): number {
  let seed = 0;
  let most = -1;
  for (const [id, o] of t.overlap) if (o > most || (o === most && id < seed)) (seed = id), (most = o);
  return seed;
}

/** The oracle player without suggestions. */
export function playWithout(t: NeuronTruth, target: number): PlayResult {
  const tr = new Trace(t);
  tr.add([seedOf(t)]);
  let clicks = 0;
  while (tr.f1() < target && clicks < MAX_ACTIONS) {
    const id = tr.bestClick();
    if (id === null) break;
    tr.add([id]);
    clicks++;
  }
  const f1 = tr.f1();
  return { clicks, accepted: 0, dismissed: 0, manual: clicks, f1, reached: f1 >= target };
}

/** The player with suggestions: accepts what ground truth confirms, dismisses the rest. */
export function playWith(t: NeuronTruth, graph: ContactGraph, target: number, opts: SuggestOptions = {}): PlayResult {
  const tr = new Trace(t);
  tr.add([seedOf(t)]);
  const dismissed = new Set<number>();
  let accepted = 0;
  let rejected = 0;
  let manual = 0;
  while (tr.f1() < target && accepted + rejected + manual < MAX_ACTIONS) {
    const best = rankSuggestions(graph, tr.selected, { ...opts, limit: 1, exclude: dismissed })[0];
    if (best) {
      let inNeuron = 0;
      let voxels = 0;
      for (const id of best.group) {
        inNeuron += t.overlap.get(id) ?? 0;
        voxels += t.sizes.get(id) ?? 0;
      }
      if (voxels > 0 && inNeuron * 2 > voxels) {
        tr.add(best.group);
        accepted++;
      } else {
        dismissed.add(best.supervoxel);
        rejected++;
      }
      continue;
    }
    const id = tr.bestClick();
    if (id === null) break;
    tr.add([id]);
    manual++;
  }
  const f1 = tr.f1();
  return { clicks: accepted + rejected + manual, accepted, dismissed: rejected, manual, f1, reached: f1 >= target };
}

// --- the evaluation ----------------------------------------------------------------------------

export type NeuronRow = { body: number; voxels: number; supervoxels: number; without: PlayResult; with: PlayResult };
export type EvalSuggestionsResult = {
  dataset: string;
  name: string;
  z: [number, number];
  slab: string | null;
  target: number;
  model: string;
  neurons: NeuronRow[];
  /** Over the neurons that reached the target both ways. */
  summary: {
    compared: number;
    clicksWithout: number;
    /** Every action with suggestions (mouse clicks + accept and dismiss keys) and the ratio without / with. */
    clicksWith: number;
    ratio: number;
    /** Mouse clicks only (accepting and dismissing are keys) and the ratio without / with. */
    mouseClicksWith: number;
    mouseRatio: number;
  };
};

async function loadGrey(slug: string, m: Manifest, z0: number, z1: number): Promise<Uint8Array> {
  const { x: W, y: H } = m.shape;
  const ts = m.tileSize;
  const out = new Uint8Array(W * H * (z1 - z0));
  for (let z = z0; z < z1; z++) {
    for (let ty = 0; ty * ts < H; ty++) {
      for (let tx = 0; tx * ts < W; tx++) {
        const { data, info } = await sharp(tilePath(slug, 0, z, ty, tx)).greyscale().raw().toBuffer({ resolveWithObject: true });
        for (let y = 0; y < info.height; y++) {
          const row = ((z - z0) * H + ty * ts + y) * W + tx * ts;
          out.set(data.subarray(y * info.width * info.channels, y * info.width * info.channels + info.width), row);
        }
      }
    }
  }
  return out;
}

/** Both players on every neuron. */
export function simulate(
  graph: ContactGraph,
  truths: { body: number; truth: NeuronTruth }[],
  target: number,
  opts: SuggestOptions = {},
  log: (line: string) => void = () => {},
): NeuronRow[] {
  return truths.map(({ body, truth }) => {
    const row = { body, voxels: truth.size, supervoxels: truth.overlap.size, without: playWithout(truth, target), with: playWith(truth, graph, target, opts) };
    log(`neuron ${body}: ${row.without.clicks} clicks without, ${row.with.clicks} with`);
    return row;
  });
}

export async function evaluateSuggestions(
  args: EvalSuggestionsArgs,
  store: string,
  log: (line: string) => void = () => {},
  opts: SuggestOptions = {},
  keep?: { graph?: ContactGraph; truths?: { body: number; truth: NeuronTruth }[] },
): Promise<EvalSuggestionsResult> {
  process.env.AXONAUT_STORE = store; // server/store reads it
  const slug = args["--dataset"];
  if (!existsSync(path.join(store, slug, "manifest.json"))) {
    const hint = slug === SAMPLE.slug ? " (npm run setup, or npm start, ingests it)" : " (ingest it with npm run ingest)";
    throw new UsageError(`dataset "${slug}" is not in the store ${store}${hint}`);
  }
  const m = await readManifest(slug);
  if (!m.hasGroundTruth) throw new UsageError(`dataset "${slug}" has no ground truth to evaluate against (ingest it with --ground-truth)`);
  if (!m.hasSupervoxels) throw new UsageError(`dataset "${slug}" has no supervoxels`);
  const isSample = slug === SAMPLE.slug;
  const zr: [number, number] = args["--z"] ?? (isSample ? [...SAMPLE.split.test] : [0, m.shape.z - 1]);
  if (zr[1] >= m.shape.z) throw new UsageError(`--z ${zr[0]}-${zr[1]} is outside the volume (z 0-${m.shape.z - 1})`);
  const modelFile = path.resolve(args["--model"] ?? DEFAULT_MODEL_PATH);

  const { x: W, y: H } = m.shape;
  const plane = W * H;
  const box = { x0: 0, y0: 0, z0: zr[0], x1: W, y1: H, z1: zr[1] + 1 };
  const depth = box.z1 - box.z0;
  const sv = await loadLabelBox(slug, "supervoxels", box, m);
  const gt = await loadLabelBox(slug, "ground-truth", box, m);

  // Boundary map of the slab: one slice of context either side, as ingest and the game read it.
  const c0 = Math.max(0, box.z0 - 1);
  const c1 = Math.min(m.shape.z, box.z1 + 1);
  log(`boundary model on z ${c0}-${c1 - 1} …`);
  const grey = await loadGrey(slug, m, c0, c1);
  const model = await loadBoundaryModel(modelFile);
  let boundaryAll: Uint8Array;
  try {
    boundaryAll = await predictBoundaryVolume(model, grey, { x: W, y: H, z: c1 - c0 });
  } finally {
    await model.close();
  }
  const boundary = boundaryAll.subarray((box.z0 - c0) * plane, (box.z0 - c0 + depth) * plane);
  log("contact graph …");
  const graph = buildContactGraph(sv, boundary, { x: W, y: H, z: depth }, { boundaryScale: 1 / 255 });

  // The largest neurons in the slab, and each one's overlap with every supervoxel.
  const bodySize = new Map<number, number>();
  for (let i = 0; i < gt.length; i++) {
    const b = gt[i]!;
    if (b !== 0) bodySize.set(b, (bodySize.get(b) ?? 0) + 1);
  }
  const bodies = [...bodySize.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, args["--neurons"]);
  const wanted = new Map(bodies.map(([b]) => [b, new Map<number, number>()]));
  for (let i = 0; i < gt.length; i++) {
    const o = wanted.get(gt[i]!);
    const s = sv[i]!;
    if (o && s !== 0) o.set(s, (o.get(s) ?? 0) + 1);
  }

  const target = args["--target"];
  const truths = bodies.map(([body, size]) => ({ body, truth: { size, overlap: wanted.get(body)!, sizes: graph.sizes } satisfies NeuronTruth }));
  if (keep) Object.assign(keep, { graph, truths });
  const neurons = simulate(graph, truths, target, opts, log);

  const both = neurons.filter((n) => n.without.reached && n.with.reached);
  const clicksWithout = both.reduce((s, n) => s + n.without.clicks, 0);
  const clicksWith = both.reduce((s, n) => s + n.with.clicks, 0);
  const mouseClicksWith = both.reduce((s, n) => s + n.with.manual, 0);
  const split = SAMPLE.split;
  const slab = !isSample
    ? null
    : zr[0] === split.test[0] && zr[1] === split.test[1]
      ? "test slab"
      : zr[0] === split.validation[0] && zr[1] === split.validation[1]
        ? "validation slab"
        : null;
  return {
    dataset: slug,
    name: m.name,
    z: zr,
    slab,
    target,
    model: path.relative(process.cwd(), modelFile) || modelFile,
    neurons,
    summary: {
      compared: both.length,
      clicksWithout,
      clicksWith,
      ratio: ratioOf(clicksWithout, clicksWith),
      mouseClicksWith,
      mouseRatio: ratioOf(clicksWithout, mouseClicksWith),
    },
  };
}

/** without / with; with none either way 1, with none only with suggestions Infinity (JSON: null). */
function ratioOf(without: number, withS: number): number {
  return withS > 0 ? without / withS : without > 0 ? Infinity : 1;
}

const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "∞×");

export function formatSuggestionsTable(r: EvalSuggestionsResult): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const head = ["neuron (GT body)", "voxels", "supervoxels", "clicks without", "actions with", "Space / X / click", "F1 without", "F1 with"];
  const rows = r.neurons.map((n) => [
    String(n.body),
    String(n.voxels),
    String(n.supervoxels),
    `${n.without.clicks}${n.without.reached ? "" : " (not reached)"}`,
    `${n.with.clicks}${n.with.reached ? "" : " (not reached)"}`,
    `${n.with.accepted} / ${n.with.dismissed} / ${n.with.manual}`,
    pct(n.without.f1),
    pct(n.with.f1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const s = r.summary;
  return [
    `Clicks to ${pct(r.target)} voxel F1 on the ${r.neurons.length} largest neurons of "${r.name}" (${r.dataset}), z ${r.z[0]}-${r.z[1]}${r.slab ? ` (${r.slab})` : ""}, model ${r.model}`,
    "",
    line(head),
    `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`,
    ...rows.map(line),
    "",
    `${s.compared} of ${r.neurons.length} neurons reached ${pct(r.target)} both ways. On them:`,
    `  without suggestions: ${s.clicksWithout} mouse clicks`,
    `  with suggestions:    ${s.mouseClicksWith} mouse clicks → ${times(s.mouseRatio)} fewer clicks`,
    `                       ${s.clicksWith} actions counting the Space / X key presses → ${times(s.ratio)} fewer actions`,
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const parsed = argsOrExitCode(parseEvalSuggestionsArgs, argv, USAGE);
  if ("exitCode" in parsed) return parsed.exitCode;
  const args = parsed.args;
  const store = args["--store"] ? path.resolve(args["--store"]) : storeRoot();
  const json = args["--json"];
  try {
    const r = await evaluateSuggestions(args, store, json ? () => {} : (l) => process.stderr.write(`${l}\n`));
    process.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : `${formatSuggestionsTable(r)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`error: ${errorText(e)}\n`);
    return 1;
  }
}

runIfMain(import.meta.url, main);
