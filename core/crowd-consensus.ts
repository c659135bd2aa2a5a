// One cube's consensus from its players' traces: Dawid–Skene (the engine) and a weighted majority (the
// baseline kept beside it), each with a posterior confidence that decides when the cube retires.
//
// Items are the supervoxels that at least one player selected, seeds excepted (seeds are always in). When
// the cube's adjacency is given: only those connected to the seeds through someone's selection (a neurite
// is traced from its seeds; stray clicks far from it are out and teach nothing about anyone), plus the
// supervoxels touching the seeds or the weighted-majority answer: the tempting neighbours. Those are where
// a merger-prone player's specificity shows (as in practice grading).
import { dawidSkene, type WorkerPrior } from "./dawid-skene";
import { reachable, ring, type Adjacency } from "./supervoxel-graph";
import { cubeEvidence, MAX_ITEM_SHARE, STRATA, stratumOf, type Stratum } from "./reliability";

export type ConsensusMethod = "DAWID_SKENE" | "WEIGHTED_MAJORITY";

export type CrowdTrace = {
  /** Stable id (the user id): traces are processed in this order, so the result never depends on timing. */
  workerId: string;
  supervoxels: readonly number[];
  /** The player's Dawid–Skene priors for thin and for thick supervoxels. */
  priors: Record<Stratum, WorkerPrior>;
  /** Weight of this player's vote in the weighted majority. */
  majorityWeight: number;
};

/**
 * No single supervoxel may carry more than this share of the expected wrong volume the threshold allows: one
 * wrongly merged big supervoxel barely moves a cube's total, yet spawning would carry it on as a seed.
 */
export const MAX_ITEM_ERROR_SHARE = 0.25;

export type MethodResult = {
  /** Consensus supervoxels, seeds included, ascending. */
  supervoxels: number[];
  /** P(in) per item (the weighted vote share for the majority). */
  probability: number[];
  /**
   * In [0, 1]: 1 - expected wrongly labelled volume / consensus volume, where the worst single supervoxel's
   * expected wrong volume counts 1 / MAX_ITEM_ERROR_SHARE times if that is more than the total.
   */
  confidence: number;
};

export type CrowdConsensus = {
  /** Candidate supervoxels (selected by someone, or touching the answer; not seeds), ascending. */
  items: number[];
  /** Selected by someone but connected to the seeds through nobody's selection: out, ascending. */
  detached: number[];
  /** `workers`: each player's estimate for thick supervoxels (thin ones when the cube has no thick candidate). */
  dawidSkene: MethodResult & { workers: { workerId: string; sensitivity: number; specificity: number }[] };
  majority: MethodResult;
};

const byId = (a: number, b: number) => a - b;

export function crowdConsensus(input: { traces: CrowdTrace[]; seeds: readonly number[]; sizes: ReadonlyMap<number, number>; adjacency?: Adjacency }): CrowdConsensus {
  const traces = [...input.traces].sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0));
  const seeds = new Set(input.seeds);
  let itemSet = new Set<number>();
  for (const t of traces) for (const id of t.supervoxels) if (!seeds.has(id)) itemSet.add(id);
  let detached: number[] = [];
  if (input.adjacency) {
    // A neurite is traced from its seeds: what nobody's selection connects to them is out.
    const connected = new Set(reachable(input.adjacency, seeds, new Set([...itemSet, ...seeds])));
    detached = [...itemSet].filter((id) => !connected.has(id)).sort(byId);
    itemSet = new Set([...itemSet].filter((id) => connected.has(id)));
    const kept = traces.map((t) => ({ ...t, supervoxels: t.supervoxels.filter((id) => connected.has(id)) }));
    const selected = crowdConsensus({ traces: kept, seeds: input.seeds, sizes: input.sizes }).majority.supervoxels;
    for (const id of ring(input.adjacency, new Set([...seeds, ...selected]))) if (!seeds.has(id)) itemSet.add(id);
  }
  const items = [...itemSet].sort(byId);
  const index = new Map(items.map((id, i) => [id, i]));
  const votes = traces.map((t) => {
    const v = new Uint8Array(items.length);
    for (const id of t.supervoxels) {
      const i = index.get(id);
      if (i !== undefined) v[i] = 1;
    }
    return v;
  });
  const size = (id: number) => Math.max(1, input.sizes.get(id) ?? 1);
  const weights = items.map(size);

  // The likelihood factorises over size strata (each has its own worker parameters and share of true items):
  // one estimate per stratum.
  const dsProbability = new Array<number>(items.length).fill(0);
  const workers = traces.map((t) => ({ workerId: t.workerId, sensitivity: 0, specificity: 0 }));
  let thickDone = false;
  for (const stratum of STRATA) {
    const idx = items.map((_, i) => i).filter((i) => stratumOf(weights[i]!) === stratum);
    if (idx.length === 0) continue;
    const ds = dawidSkene({
      weights: idx.map((i) => weights[i]!),
      votes: votes.map((v) => idx.map((i) => v[i]!)),
      priors: traces.map((t) => t.priors[stratum]),
      totalWeight: cubeEvidence(idx.length),
      maxItemShare: MAX_ITEM_SHARE,
    });
    idx.forEach((i, k) => (dsProbability[i] = ds.posterior[k]!));
    if (stratum === "thick" || !thickDone) {
      workers.forEach((w, j) => ((w.sensitivity = ds.sensitivity[j]!), (w.specificity = ds.specificity[j]!)));
      thickDone = stratum === "thick";
    }
  }

  const wsum = traces.reduce((s, t) => s + Math.max(0, t.majorityWeight), 0);
  const majorityProbability = items.map((_, i) => {
    if (wsum <= 0) return 0;
    let s = 0;
    traces.forEach((t, j) => (s += votes[j]![i] ? Math.max(0, t.majorityWeight) : 0));
    return s / wsum;
  });

  const seedVolume = [...seeds].reduce((s, id) => s + size(id), 0);
  const finish = (probability: number[]): MethodResult => {
    const chosen = items.filter((_, i) => probability[i]! > 0.5);
    let wrong = 0;
    let volume = seedVolume;
    items.forEach((id, i) => {
      const p = probability[i]!;
      wrong += size(id) * Math.min(p, 1 - p);
      if (p > 0.5) volume += size(id);
    });
    // The worst single supervoxel, against the rest of the answer: a supervoxel in the consensus is measured
    // against the volume without itself, or a giant wrongly merged one would vouch for itself by its own size.
    let worst = 0;
    items.forEach((id, i) => {
      const p = probability[i]!;
      const rest = p > 0.5 ? volume - size(id) : volume;
      worst = Math.max(worst, (size(id) * Math.min(p, 1 - p)) / Math.max(1, rest));
    });
    return {
      supervoxels: [...new Set([...chosen, ...seeds])].sort(byId),
      probability,
      confidence: Math.max(0, 1 - Math.max(wrong / Math.max(1, volume), worst / MAX_ITEM_ERROR_SHARE)),
    };
  };

  return {
    items,
    detached,
    dawidSkene: {
      ...finish(dsProbability),
      workers,
    },
    majority: finish(majorityProbability),
  };
}

/** Consensus supervoxels sure enough to seed a neighbouring cube (seeds stay seeds). */
export function seedWorthy(c: CrowdConsensus, m: MethodResult, seeds: readonly number[], threshold: number): number[] {
  return [...new Set([...seeds, ...c.items.filter((_, i) => m.probability[i]! >= threshold)])].sort(byId);
}

/** The result of the method a neuron uses. */
export function chosen(c: CrowdConsensus, method: ConsensusMethod): MethodResult {
  return method === "DAWID_SKENE" ? c.dawidSkene : c.majority;
}

/** Proven players (practice passed, or experts) may retire a cube with this many traces instead of minPlayers. */
export const MIN_PROVEN_PLAYERS = 2;

/**
 * Whether a cube retires now, and how many players it wants if not: at `minPlayers` traces when confident,
 * earlier (MIN_PROVEN_PLAYERS) when every player on it is proven and it is confident, always at `maxPlayers`.
 */
export function retirement(opts: { submissions: number; confidence: number; minPlayers: number; maxPlayers: number; threshold: number; provenPlayers?: number }): {
  retire: boolean;
  wanted: number;
} {
  const { submissions, confidence, minPlayers, maxPlayers, threshold } = opts;
  const allProven = (opts.provenPlayers ?? 0) >= submissions;
  const enough = submissions >= minPlayers || (allProven && submissions >= Math.min(minPlayers, MIN_PROVEN_PLAYERS));
  if (submissions >= maxPlayers) return { retire: true, wanted: submissions };
  if (enough && confidence >= threshold) return { retire: true, wanted: submissions };
  return { retire: false, wanted: Math.min(maxPlayers, Math.max(enough ? 0 : allProven ? MIN_PROVEN_PLAYERS : minPlayers, submissions + 1)) };
}
