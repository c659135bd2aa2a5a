// Refits DEFAULT_MERGE_MODEL (core/suggestions.ts), the calibrated merge probability of suggestions,
// on the TRAIN slab only (z 0-74 and 75-149 of the sample; validation and test are never read):
//
//   AXONAUT_STORE=.data/test-store npx tsx bench/fit-merge-model.ts [--window 4] [--model <onnx>]
//
// Data: for the 20 largest ground-truth neurons of each part, the states a player passes through
// while tracing without suggestions (server/cli/suggestion-player.ts), and at each state every
// neighbour of the selection with ≥ 3 contact voxels: its features against the selection
// (core mergeFeatures, exactly what the game computes) and its label from ground truth (more than
// half of it inside the neuron). With --window n (what the game does, and how the shipped model is
// fitted) the features come from the game's window of ±n slices around the slice through the
// centroid of the supervoxel added last (server/cli/suggestion-player.ts gameWindowView): sizes,
// surfaces and contacts cut by the window edge, as the worker sees them; the label stays the whole
// supervoxel's in the part. Logistic regression (Newton, small L2 on standardised features);
// prints the weights in the form of MergeModel, and the calibration by decile of the fitted p.
import { mergeFeatures, selectionContacts, surfaces, type ContactGraph, type MergeFeatures, type MergeModel } from "@/core/suggestions";
import { evaluateSuggestions } from "@/server/cli/eval-suggestions";
import { SAMPLE } from "@/server/cli/sample";
import { play, PLAYER_RULES, seedOf, type Move, type NeuronTruth, type ViewOf } from "@/server/cli/suggestion-player";
import { storeRoot } from "@/server/store/store";

const PARTS: [number, number][] = [
  [0, 74],
  [75, 149],
];
const NAMES = ["mean", "q25", "sizeRatio", "touch"] as const satisfies readonly (keyof MergeFeatures)[];

type Sample = { x: number[]; y: number };

/** `view`: the graph the game would rank on after the player added a supervoxel (none: the whole part). */
function samplesOf(graph: ContactGraph, truth: NeuronTruth, view?: ViewOf): Sample[] {
  const moves: Move[] = [];
  play(truth, graph, 0.9, null, PLAYER_RULES, (m) => moves.push(m));
  let last = seedOf(truth);
  const selected = new Set([last]);
  const out: Sample[] = [];
  for (const m of moves) {
    const g = view ? view(last) : graph;
    const surface = surfaces(g);
    let selVoxels = 0;
    for (const s of selected) selVoxels += g.sizes.get(s) ?? 0;
    for (const [n, c] of selectionContacts(g, selected)) {
      if (c.count < 3) continue;
      const f = mergeFeatures(c, g.sizes.get(n) ?? 0, selVoxels, surface(n));
      const size = truth.sizes.get(n) ?? 0;
      out.push({ x: NAMES.map((k) => f[k]), y: 2 * (truth.overlap.get(n) ?? 0) > size ? 1 : 0 });
    }
    for (const id of m.ids) selected.add(id);
    last = m.ids[0]!;
  }
  return out;
}

/** Solve A x = b (small, dense) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

/** Logistic regression on standardised features; returns raw-space weights and bias. */
function fit(data: Sample[], l2 = 1e-3, iterations = 50): { w: number[]; bias: number } {
  const d = NAMES.length;
  const mu = NAMES.map((_, j) => data.reduce((s, e) => s + e.x[j]!, 0) / data.length);
  const sd = NAMES.map((_, j) => Math.sqrt(data.reduce((s, e) => s + (e.x[j]! - mu[j]!) ** 2, 0) / data.length) + 1e-9);
  const Z = data.map((e) => [...e.x.map((v, j) => (v - mu[j]!) / sd[j]!), 1]);
  let beta = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    Z.forEach((z, i) => {
      const p = 1 / (1 + Math.exp(-z.reduce((s, v, j) => s + v * beta[j]!, 0)));
      const r = p - data[i]!.y;
      const w = p * (1 - p);
      for (let j = 0; j <= d; j++) {
        g[j]! += (r * z[j]!) / Z.length;
        for (let k = 0; k <= d; k++) H[j]![k]! += (w * z[j]! * z[k]!) / Z.length;
      }
    });
    for (let j = 0; j < d; j++) {
      g[j]! += l2 * beta[j]!;
      H[j]![j]! += l2;
    }
    H[d]![d]! += l2;
    const step = solve(H, g);
    beta = beta.map((b, j) => b - step[j]!);
  }
  const w = NAMES.map((_, j) => beta[j]! / sd[j]!);
  const bias = beta[d]! - NAMES.reduce((s, _, j) => s + (beta[j]! * mu[j]!) / sd[j]!, 0);
  return { w, bias };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--window");
  const radius = at >= 0 ? Number(process.argv[at + 1]) : undefined;
  if (radius !== undefined && !(Number.isInteger(radius) && radius >= 0)) throw new Error("--window needs a whole number ≥ 0");
  const m = process.argv.indexOf("--model");
  const modelFile = m >= 0 ? process.argv[m + 1] : undefined;
  if (m >= 0 && !modelFile) throw new Error("--model needs an ONNX file");
  console.log(radius === undefined ? "features on the whole part's contact graph" : `features on the game's window of ±${radius} slices`);
  const data: Sample[] = [];
  for (const z of PARTS) {
    const keep: Parameters<typeof evaluateSuggestions>[4] & {} = {};
    const args = { "--dataset": SAMPLE.slug, "--z": z, "--neurons": 20, "--target": 0.9, "--json": true, ...(modelFile ? { "--model": modelFile } : {}) } as const;
    await evaluateSuggestions(args, storeRoot(), (l) => process.stderr.write(`${l}\n`), {}, keep);
    const view = radius === undefined ? undefined : keep.windowView!(radius);
    for (const { truth } of keep.truths!) data.push(...samplesOf(keep.graph!, truth, view));
  }
  const { w, bias } = fit(data);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const model: MergeModel = { bias: round(bias), mean: round(w[0]!), q25: round(w[1]!), sizeRatio: round(w[2]!), touch: round(w[3]!) };
  console.log(`${data.length} neighbour states, ${data.filter((e) => e.y === 1).length} inside the neuron`);
  console.log(`DEFAULT_MERGE_MODEL = ${JSON.stringify(model)}`);
  // Calibration: fitted p by decile against the share inside.
  const bins = Array.from({ length: 10 }, () => ({ n: 0, pos: 0 }));
  for (const e of data) {
    const zz = model.bias + e.x.reduce((s, v, j) => s + v * model[NAMES[j]!], 0);
    const b = bins[Math.min(9, Math.floor(10 / (1 + Math.exp(-zz))))]!;
    b.n++;
    b.pos += e.y;
  }
  bins.forEach((b, i) => b.n > 0 && console.log(`p ${(i / 10).toFixed(1)}-${((i + 1) / 10).toFixed(1)}: ${b.n} neighbours, ${((100 * b.pos) / b.n).toFixed(1)} % inside`));
}

void main();
