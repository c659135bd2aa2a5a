// `npm run simulate -- --dataset <slug> --players <n> --spammers <fraction> --seed <s> [--neurons <k>] [--json]`
//
// Whole crowd campaigns on an ingested volume with ground truth, through the same API and services as the
// game, each in its own in-memory database. Two campaigns with the same players and seed:
//   1. the Dawid–Skene engine (the weighted majority is computed beside it on the same traces: equal cost);
//   2. the weighted-majority engine (its own retirement and spawning).
// Prints voxel F1 against ground truth per neuron, players per cube and cubes per neuron, side by side.
import { parseArgs } from "node:util";
import { z } from "zod";
import { runCampaign, type CampaignRun } from "@/server/sim/campaign";
import { scoreNeurons, type NeuronScore } from "@/server/sim/evaluate";
import { DEFAULT_SETTINGS } from "@/server/services/neurons";
import { readManifest, storeRoot } from "@/server/store/store";

const { values } = parseArgs({
  options: {
    dataset: { type: "string", default: "neuroproof-medulla" },
    players: { type: "string", default: "60" },
    spammers: { type: "string", default: "0.2" },
    seed: { type: "string", default: "1" },
    neurons: { type: "string", default: "20" },
    "min-players": { type: "string" },
    "max-players": { type: "string" },
    confidence: { type: "string" },
    json: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const opts = z
  .object({
    dataset: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "--dataset is a dataset slug"),
    players: z.coerce.number().int().min(6, "--players: at least 6 (a cube may want 6 different players)").max(10_000),
    spammers: z.coerce.number().min(0).max(1),
    seed: z.coerce.number().int(),
    neurons: z.coerce.number().int().min(1).max(500),
    minPlayers: z.coerce.number().int().min(1).max(50).default(DEFAULT_SETTINGS.minPlayers),
    maxPlayers: z.coerce.number().int().min(1).max(50).default(DEFAULT_SETTINGS.maxPlayers),
    confidence: z.coerce.number().min(0).max(1).default(DEFAULT_SETTINGS.retireConfidence),
  })
  .safeParse({
    dataset: values.dataset,
    players: values.players,
    spammers: values.spammers,
    seed: values.seed,
    neurons: values.neurons,
    minPlayers: values["min-players"],
    maxPlayers: values["max-players"],
    confidence: values.confidence,
  });
if (!opts.success) {
  console.error(`error: ${opts.error.issues.map((i) => i.message).join("; ")}`);
  process.exit(2);
}
const o = opts.data;
const log = values.quiet || values.json ? () => {} : (l: string) => console.error(l);

type Summary = { f1Mean: number; f1Min: number; f1Pooled: number; playersPerCube: number; cubesPerNeuron: number; complete: number; openCubes: number };

function summarize(scores: NeuronScore[], f1: (s: NeuronScore) => number): Summary {
  const cubes = scores.reduce((s, n) => s + n.cubes - n.openCubes, 0);
  const traces = scores.reduce((s, n) => s + n.traces, 0);
  const weight = scores.reduce((s, n) => s + n.bodyVoxels, 0);
  return {
    f1Mean: scores.reduce((s, n) => s + f1(n), 0) / scores.length,
    f1Min: Math.min(...scores.map(f1)),
    // Voxel-weighted over all neurons: every voxel of every neuron counts the same.
    f1Pooled: scores.reduce((s, n) => s + f1(n) * n.bodyVoxels, 0) / weight,
    playersPerCube: traces / Math.max(1, cubes),
    cubesPerNeuron: scores.reduce((s, n) => s + n.cubes, 0) / scores.length,
    complete: scores.filter((n) => n.complete).length,
    openCubes: scores.reduce((s, n) => s + n.openCubes, 0),
  };
}

async function campaign(method: "DAWID_SKENE" | "WEIGHTED_MAJORITY") {
  log(`campaign with the ${method === "DAWID_SKENE" ? "Dawid–Skene" : "weighted-majority"} engine …`);
  const run: CampaignRun = await runCampaign({
    dataset: o.dataset,
    players: o.players,
    spammers: o.spammers,
    seed: o.seed,
    neurons: o.neurons,
    settings: { consensusMethod: method, minPlayers: o.minPlayers, maxPlayers: o.maxPlayers, retireConfidence: o.confidence },
    log,
  });
  try {
    const scores = await scoreNeurons(run.handle.db, o.dataset);
    log(`  done in ${run.seconds.toFixed(0)} s: ${run.campaignSubmissions} traces (+${run.practiceSubmissions} on practice cubes)`);
    return { run, scores };
  } finally {
    await run.handle.close();
  }
}

// Bad input gets a clear message, not a stack trace: the dataset must be ingested, with ground truth.
const manifest = await readManifest(o.dataset).catch(() => null);
if (!manifest) {
  console.error(`error: dataset "${o.dataset}" is not in the store ${storeRoot()}: run \`npm run setup\` (the sample) or \`npm run ingest\` first, or set AXONAUT_STORE`);
  process.exit(2);
}
if (!manifest.hasGroundTruth) {
  console.error(`error: dataset "${o.dataset}" has no ground-truth labels: the simulation grades players and consensus against them`);
  process.exit(2);
}

const ds = await campaign("DAWID_SKENE");
const wm = await campaign("WEIGHTED_MAJORITY");
const rows = {
  "Dawid–Skene engine": summarize(ds.scores, (s) => s.f1),
  "weighted majority on the same traces (equal cost)": summarize(ds.scores, (s) => s.majorityF1),
  "weighted-majority engine": summarize(wm.scores, (s) => s.f1),
};
const ceiling = summarize(ds.scores, (s) => s.ceiling);
const settings = { minPlayers: o.minPlayers, maxPlayers: o.maxPlayers, retireConfidence: o.confidence };

if (values.json) {
  console.log(
    JSON.stringify(
      {
        dataset: o.dataset,
        players: o.players,
        spammers: o.spammers,
        seed: o.seed,
        settings,
        population: ds.run.kinds,
        practiceTracesPerPlayer: ds.run.practiceSubmissions / o.players,
        summary: rows,
        ceiling: { f1Mean: ceiling.f1Mean, f1Min: ceiling.f1Min, f1Pooled: ceiling.f1Pooled },
        neurons: ds.scores.map((s, i) => ({
          name: s.name,
          body: s.body,
          bodyVoxels: s.bodyVoxels,
          ceiling: s.ceiling,
          dawidSkene: { f1: s.f1, majorityBesideF1: s.majorityF1, cubes: s.cubes, playersPerCube: s.traces / Math.max(1, s.cubes - s.openCubes), complete: s.complete },
          weightedMajority: { f1: wm.scores[i]?.f1 ?? null, cubes: wm.scores[i]?.cubes ?? null, playersPerCube: wm.scores[i] ? wm.scores[i]!.traces / Math.max(1, wm.scores[i]!.cubes - wm.scores[i]!.openCubes) : null },
        })),
        seconds: ds.run.seconds + wm.run.seconds,
      },
      null,
      2,
    ),
  );
} else {
  const f = (x: number, d = 3) => x.toFixed(d);
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const k = ds.run.kinds;
  console.log(`\nCrowd simulation on ${o.dataset}: ${ds.scores.length} largest neurons, ${o.players} players (${k.spammer} spammers, ${k.expert} experts, ${k.careless} careless, ${k.merger} merger-prone, ${k.adversarial} adversarial), seed ${o.seed}`);
  console.log(`retire at >= ${o.minPlayers} players when confidence >= ${o.confidence}, or at ${o.maxPlayers}; every player first plays ${ds.run.practiceSubmissions / o.players} practice cubes\n`);
  console.log(`${"".padEnd(52)}  F1 mean  F1 min  F1 pooled  players/cube  cubes/neuron  complete`);
  for (const [name, r] of Object.entries(rows)) {
    console.log(`${name.padEnd(52)}  ${pad(f(r.f1Mean), 7)}  ${pad(f(r.f1Min), 6)}  ${pad(f(r.f1Pooled), 9)}  ${pad(f(r.playersPerCube, 2), 12)}  ${pad(f(r.cubesPerNeuron, 1), 12)}  ${pad(`${r.complete}/${ds.scores.length}`, 8)}`);
  }
  console.log(`${"ceiling: best whole-supervoxel answer".padEnd(52)}  ${pad(f(ceiling.f1Mean), 7)}  ${pad(f(ceiling.f1Min), 6)}  ${pad(f(ceiling.f1Pooled), 9)}`);
  console.log(`\nper neuron (voxel F1 against ground truth; DS = Dawid–Skene engine, WM = weighted majority)`);
  console.log(`${"neuron".padEnd(20)} ${pad("body", 7)} ${pad("voxels", 8)} ${pad("ceiling", 7)} ${pad("DS F1", 6)} ${pad("WM same", 7)} ${pad("WM F1", 6)} ${pad("DS cubes", 8)} ${pad("WM cubes", 8)} ${pad("DS pl/cube", 10)} ${pad("WM pl/cube", 10)}`);
  ds.scores.forEach((s, i) => {
    const w = wm.scores[i]!;
    const ppc = (n: NeuronScore) => n.traces / Math.max(1, n.cubes - n.openCubes);
    console.log(
      `${s.name.padEnd(20)} ${pad(s.body, 7)} ${pad(s.bodyVoxels, 8)} ${pad(f(s.ceiling), 7)} ${pad(f(s.f1), 6)} ${pad(f(s.majorityF1), 7)} ${pad(f(w.f1), 6)} ${pad(s.cubes, 8)} ${pad(w.cubes, 8)} ${pad(f(ppc(s), 2), 10)} ${pad(f(ppc(w), 2), 10)}`,
    );
  });
  console.log(`\n${ds.run.campaignSubmissions + wm.run.campaignSubmissions} campaign traces in ${(ds.run.seconds + wm.run.seconds).toFixed(0)} s`);
}
