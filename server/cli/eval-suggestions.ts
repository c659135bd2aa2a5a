/**
 * How many clicks suggestions save: a simulated player traces the largest ground-truth neurons of a
 * slab up to a voxel F1 target, once without suggestions and once with them.
 *
 *   npm run eval:suggestions -- [--dataset <slug>] [--z <from>-<to>] [--neurons 20] [--target 0.9]
 *                               [--model <onnx>] [--store <dir>] [--window <n>] [--json]
 *
 * Defaults: the bundled sample (neuroproof-medulla) on its test slab z 175-249 (never seen in
 * training or tuning), the 20 largest neurons there, 90 % voxel F1, the committed model.
 *
 * The boundary map comes from the model (server/ingest/boundary-model.ts, onnxruntime-node, the same
 * pre/post-processing as the browser worker), the contact graph and the ranking from
 * core/suggestions.ts with the game's defaults (tuned on the validation slab z 150-174): the same
 * suggestions the game would show, over the whole slab or (--window) the game's window of slices.
 *
 * The players (server/cli/suggestion-player.ts, rules fixed before this evaluation was run) start
 * from the seed (the supervoxel with the most voxels of the neuron) and add only what ground truth
 * confirms (more than half inside the neuron). Without suggestions the player clicks, each step, the
 * confirmed supervoxel touching its selection that raises the F1 most. With suggestions it presses
 * the number key (1-3; Space = 1) of the highlighted suggestion that is confirmed and at least half as
 * good as its best click (the best such), X only when dismissing a wrong first suggestion pays for
 * itself, and clicks otherwise. Both stop at the target F1, or when nothing raises it ("not reached").
 * Reported per neuron and in total: mouse clicks, key presses and all actions, with and without,
 * and the ratios without / with. The issue's goal is in mouse clicks (accepting is a key), so that is
 * the headline; the all-actions ratio stands beside it, with a warning when suggestions cost more
 * actions than they save.
 * Window: by default the suggestions are ranked on the whole slab's contact graph. The game ranks on
 * a window of ±24 slices around the slice the player views; `--window 24` does the same: the player is
 * taken to view the slice through the centroid (in the slab) of the supervoxel it added last (the
 * seed at first; for an accepted group, the suggested supervoxel), and the suggestions come from
 * core suggestionWindow + windowContactGraph over ±n slices around it, clipped to the slab: the
 * functions the game's worker calls. Clicks, confirmation and F1 stay on the whole slab.
 * Exit code 0, or 1 with one line "error: ..." on bad input.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { buildContactGraph, type ContactGraph, type SuggestOptions } from "@/core/suggestions";
import { errorText } from "@/server/ingest/errors";
import type { Manifest } from "@/server/ingest/manifest";
import { DEFAULT_MODEL_PATH, loadBoundaryModel, predictBoundaryVolume } from "@/server/ingest/boundary-model";
import { loadLabelBox, readManifest, storeRoot, tilePath } from "@/server/store/store";
import { SAMPLE } from "./sample";
import { gameWindowView, playWith, playWithout, type NeuronTruth, type PlayResult, type ViewOf } from "./suggestion-player";
import { argsOrExitCode, datasetSlugOption, runIfMain, zRangeOption, parseCommandLine, UsageError } from "./args";

const USAGE = `usage: npm run eval:suggestions -- [--dataset <slug>] [--z <from>-<to>] [--neurons <n>] [--target <f1>] [--model <onnx>] [--store <dir>] [--json]

  --dataset   ingested dataset with ground truth (default: ${SAMPLE.slug})
  --z         slices to trace in, inclusive (default: the sample's test slab ${SAMPLE.split.test.join("-")}, else all)
  --neurons   how many of the largest ground-truth neurons in the slab (default 20)
  --target    voxel F1 to reach (default 0.9)
  --model     boundary model (default: public/models/boundary.onnx)
  --store     store folder (default: $AXONAUT_STORE or .data/store)
  --window    rank suggestions as the game does, on ±n slices around the slice through the centroid
              of the supervoxel added last (default: the whole slab)
  --json      print the figures as JSON`;

const argsSchema = z.object({
  "--dataset": datasetSlugOption.default(SAMPLE.slug),
  "--z": zRangeOption.optional(),
  "--neurons": z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(500, "must be at most 500").default(20),
  "--target": z.coerce.number().gt(0, "must be in (0, 1]").max(1, "must be in (0, 1]").default(0.9),
  "--model": z.string().trim().min(1, "must not be empty").optional(),
  "--store": z.string().trim().min(1, "must not be empty").optional(),
  "--window": z.coerce.number().int("must be a whole number").min(0, "must be at least 0").max(100, "must be at most 100").optional(),
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
      window: { type: "string" },
      json: { type: "boolean", default: false },
    },
    schema: argsSchema,
  });
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
  /** Suggestions ranked on ±window slices around the viewed slice; null: the whole slab. */
  window: number | null;
  neurons: NeuronRow[];
  /** Over the neurons that reached the target both ways. */
  summary: {
    compared: number;
    /** Without suggestions every action is a mouse click. */
    clicksWithout: number;
    clicksWith: number;
    /** Key presses with suggestions: accepts (keys 1-3, Space = 1) and dismissals (X). */
    acceptedWith: number;
    dismissedWith: number;
    actionsWithout: number;
    actionsWith: number;
    /** without / with: the issue's goal (mouse clicks), and all actions beside it. */
    clickRatio: number;
    actionRatio: number;
    /** Suggestions cost more actions than they saved. */
    moreActionsWith: boolean;
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
  view?: ViewOf,
): NeuronRow[] {
  return truths.map(({ body, truth }) => {
    const row = { body, voxels: truth.size, supervoxels: truth.overlap.size, without: playWithout(truth, graph, target), with: playWith(truth, graph, target, opts, undefined, view) };
    log(`neuron ${body}: ${row.without.actions} actions without, ${row.with.clicks} clicks + ${row.with.keys} keys with`);
    return row;
  });
}

export async function evaluateSuggestions(
  args: EvalSuggestionsArgs,
  store: string,
  log: (line: string) => void = () => {},
  opts: SuggestOptions = {},
  keep?: { graph?: ContactGraph; truths?: { body: number; truth: NeuronTruth }[]; windowView?: (radius: number) => ViewOf },
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
  const windowView = (radius: number) => gameWindowView(sv, boundary, { x: W, y: H, z: depth }, radius);
  if (keep) Object.assign(keep, { graph, truths, windowView });
  const radius = args["--window"];
  const neurons = simulate(graph, truths, target, opts, log, radius === undefined ? undefined : windowView(radius));

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
    window: radius ?? null,
    neurons,
    summary: summarise(neurons),
  };
}

/** Totals over the neurons that reached the target both ways. */
export function summarise(neurons: NeuronRow[]): EvalSuggestionsResult["summary"] {
  const both = neurons.filter((n) => n.without.reached && n.with.reached);
  const sum = (f: (n: NeuronRow) => number) => both.reduce((acc, n) => acc + f(n), 0);
  const clicksWithout = sum((n) => n.without.clicks);
  const clicksWith = sum((n) => n.with.clicks);
  const actionsWithout = sum((n) => n.without.actions);
  const actionsWith = sum((n) => n.with.actions);
  return {
    compared: both.length,
    clicksWithout,
    clicksWith,
    acceptedWith: sum((n) => n.with.accepted),
    dismissedWith: sum((n) => n.with.dismissed),
    actionsWithout,
    actionsWith,
    clickRatio: ratioOf(clicksWithout, clicksWith),
    actionRatio: ratioOf(actionsWithout, actionsWith),
    moreActionsWith: actionsWith > actionsWithout,
  };
}

/** without / with; with none either way 1, with none only with suggestions Infinity (JSON: null). */
function ratioOf(without: number, withS: number): number {
  return withS > 0 ? without / withS : without > 0 ? Infinity : 1;
}

const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "∞×");

export function formatSuggestionsTable(r: EvalSuggestionsResult): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const ratio = (without: number, withS: number) => (without === 0 && withS === 0 ? "-" : times(ratioOf(without, withS)));
  const head = ["neuron (GT body)", "voxels", "supervoxels", "clicks without", "clicks with", "keys 1-3 / X with", "actions without", "actions with", "clicks ratio", "actions ratio", "F1 without", "F1 with"];
  const mark = (p: { reached: boolean }) => (p.reached ? "" : " (not reached)");
  const rows = r.neurons.map((n) => [
    String(n.body),
    String(n.voxels),
    String(n.supervoxels),
    String(n.without.clicks),
    String(n.with.clicks),
    `${n.with.accepted} / ${n.with.dismissed}`,
    `${n.without.actions}${mark(n.without)}`,
    `${n.with.actions}${mark(n.with)}`,
    ratio(n.without.clicks, n.with.clicks),
    ratio(n.without.actions, n.with.actions),
    pct(n.without.f1),
    pct(n.with.f1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const s = r.summary;
  return [
    `Clicks to ${pct(r.target)} voxel F1 on the ${r.neurons.length} largest neurons of "${r.name}" (${r.dataset}), z ${r.z[0]}-${r.z[1]}${r.slab ? ` (${r.slab})` : ""}, model ${r.model}`,
    "Players: server/cli/suggestion-player.ts (clicks = mouse clicks; keys 1-3 (Space = 1) accept that highlighted suggestion, X dismisses the first).",
    r.window === null
      ? "Suggestions ranked on the whole slab's contact graph (the game: ±24 slices; see --window)."
      : `Suggestions ranked as in the game: on ±${r.window} slices around the slice through the centroid of the supervoxel added last.`,
    "",
    line(head),
    `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`,
    ...rows.map(line),
    "",
    `${s.compared} of ${r.neurons.length} neurons reached ${pct(r.target)} both ways. On them:`,
    `  mouse clicks:  ${s.clicksWithout} without, ${s.clicksWith} with → ${times(s.clickRatio)} fewer clicks (the issue's measure)`,
    `  all actions:   ${s.actionsWithout} without, ${s.actionsWith} with (${s.clicksWith} clicks + ${s.acceptedWith} keys 1-3 + ${s.dismissedWith} X) → ${times(s.actionRatio)} fewer actions`,
    ...(s.moreActionsWith ? [`  NOTE: with suggestions the player needed MORE actions in all (${s.actionsWith} > ${s.actionsWithout}): suggestions cost more work than they saved.`] : []),
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
