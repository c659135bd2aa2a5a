// Player reliability: evidence about a player's sensitivity and specificity, kept as Beta pseudo-counts,
// turned into the priors of the next cubes' Dawid–Skene estimates and into weighted-majority weights.
// A new player starts with a weak, modest prior (low vote weight); practice cubes graded against ground
// truth and retired cubes' posteriors add evidence.
//
// Two size strata, each with its own sensitivity and specificity: thin supervoxels (few voxels in the cube:
// thin branches, fragments at the cube's edge) and thick ones. A careless player misses thin branches yet
// never a thick trunk, so their "out" vote means little on a thin supervoxel and a lot on a thick one.
import { capShares, type WorkerPrior } from "./dawid-skene";

export type Stratum = "thin" | "thick";
export const STRATA: readonly Stratum[] = ["thin", "thick"];
/** Supervoxels with fewer voxels than this inside the cube are thin. */
export const THIN_SUPERVOXEL_VOXELS = 2000;
export const stratumOf = (voxels: number): Stratum => (voxels < THIN_SUPERVOXEL_VOXELS ? "thin" : "thick");

/** Thick-stratum counts under the plain names, thin-stratum ones prefixed. */
export type Evidence = {
  sensHits: number;
  sensTotal: number;
  specHits: number;
  specTotal: number;
  thinSensHits: number;
  thinSensTotal: number;
  thinSpecHits: number;
  thinSpecTotal: number;
};

export type ReliabilityCounts = Evidence & { accuracySum: number; accuracyCount: number };

export const ZERO_EVIDENCE: Evidence = { sensHits: 0, sensTotal: 0, specHits: 0, specTotal: 0, thinSensHits: 0, thinSensTotal: 0, thinSpecHits: 0, thinSpecTotal: 0 };
export const NO_EVIDENCE: ReliabilityCounts = { ...ZERO_EVIDENCE, accuracySum: 0, accuracyCount: 0 };

type StratumEvidence = { sensHits: number; sensTotal: number; specHits: number; specTotal: number };
function stratumCounts(e: Evidence, s: Stratum): StratumEvidence {
  return s === "thick"
    ? { sensHits: e.sensHits, sensTotal: e.sensTotal, specHits: e.specHits, specTotal: e.specTotal }
    : { sensHits: e.thinSensHits, sensTotal: e.thinSensTotal, specHits: e.thinSpecHits, specTotal: e.thinSpecTotal };
}

/** Mean 0.8, strength 4: an in vote from a new player multiplies the odds by only about 4. */
export const NEW_PLAYER_PRIOR: WorkerPrior = { sensitivity: { alpha: 3.2, beta: 0.8 }, specificity: { alpha: 3.2, beta: 0.8 } };
/** Experts start trusted: mean 0.95, strength 20. */
export const EXPERT_PRIOR: WorkerPrior = { sensitivity: { alpha: 19, beta: 1 }, specificity: { alpha: 19, beta: 1 } };
/** Past evidence is scaled down to at most this many pseudo-items per class, so a cube can still move it. */
export const MAX_PRIOR_EVIDENCE = 400;
/**
 * Evidence weight of one campaign cube (all its candidate supervoxels together). With three players on a cube,
 * the cube alone says little about who is reliable: the players' record should weigh more.
 */
export const CUBE_EVIDENCE = 4;
/** Volume weighting, but no single supervoxel decides more than this share of a cube's evidence. */
export const MAX_ITEM_SHARE = 0.25;
/** A cube with few candidates weighs as many items as it has (a single item must not convince EM of itself). */
export const cubeEvidence = (items: number) => Math.min(items, CUBE_EVIDENCE);
/**
 * What a retired cube adds to each of its players' records. Its labels are the crowd's own estimate, not the
 * truth: learning fast from them lets early mistakes teach the engine to trust the wrong players.
 */
export const CUBE_UPDATE_EVIDENCE = 3;
/** A practice cube is graded against ground truth: it is worth much more than a campaign cube. */
export const PRACTICE_EVIDENCE = 30;
/** Practice cubes that prove a new player (with experts, they may retire a cube with fewer players). */
export const PRACTICE_CUBES_TO_PROVE = 2;
/** How informative a proven player's votes must be: sensitivity + specificity - 1 (0 for a random clicker). */
export const MIN_INFORMEDNESS = 0.5;
/**
 * Proven: an expert, or a player whose practice cubes showed informative votes. A player who practised and
 * proved to click at random is not: two such players must not close a cube between them.
 */
export function isProven(counts: Evidence & { practiceCubes: number }, expert = false): boolean {
  if (expert) return true;
  if (counts.practiceCubes < PRACTICE_CUBES_TO_PROVE) return false;
  const p = workerPrior(counts);
  const mean = (b: { alpha: number; beta: number }) => b.alpha / (b.alpha + b.beta);
  return mean(p.sensitivity) + mean(p.specificity) - 1 >= MIN_INFORMEDNESS;
}
/** EyeWire's weight for an untrusted player's vote. */
export const NEW_PLAYER_MAJORITY_WEIGHT = 0.1;
export const EXPERT_MAJORITY_WEIGHT = 2;

function scaled(hits: number, total: number): { hits: number; misses: number } {
  const t = Math.max(0, total);
  const h = Math.min(Math.max(0, hits), t);
  const k = t > MAX_PRIOR_EVIDENCE ? MAX_PRIOR_EVIDENCE / t : 1;
  return { hits: h * k, misses: (t - h) * k };
}

export function workerPrior(counts: Evidence, expert = false, stratum: Stratum = "thick"): WorkerPrior {
  const base = expert ? EXPERT_PRIOR : NEW_PLAYER_PRIOR;
  const c = stratumCounts(counts, stratum);
  const s = scaled(c.sensHits, c.sensTotal);
  const p = scaled(c.specHits, c.specTotal);
  return {
    sensitivity: { alpha: base.sensitivity.alpha + s.hits, beta: base.sensitivity.beta + s.misses },
    specificity: { alpha: base.specificity.alpha + p.hits, beta: base.specificity.beta + p.misses },
  };
}

/** Weighted-majority weight, EyeWire-style: 0.1 until graded, then the player's mean F1 (experts 2). */
export function majorityWeight(counts: ReliabilityCounts, expert = false): number {
  if (expert) return EXPERT_MAJORITY_WEIGHT;
  if (counts.accuracyCount <= 0) return NEW_PLAYER_MAJORITY_WEIGHT;
  return Math.min(1, Math.max(0.01, counts.accuracySum / counts.accuracyCount));
}

/**
 * Evidence from one cube: how much of the truly-in volume the player selected (sensitivity) and how much of
 * the truly-out volume they left out (specificity), with `probability` the posterior (or 0/1 ground truth),
 * per size stratum (`sizes` are the supervoxels' voxels in the cube). Each class of each stratum adds up to
 * `budget / 2` pseudo-items, whatever the mix: a cube with few true supervoxels still says as much about
 * sensitivity as about specificity. Volume-weighted, no supervoxel over MAX_ITEM_SHARE of its stratum.
 */
export function evidenceFrom(votes: ArrayLike<number>, probability: ArrayLike<number>, sizes: ArrayLike<number>, budget: number): Evidence {
  const out = { ...ZERO_EVIDENCE };
  for (const stratum of STRATA) {
    const idx = Array.from({ length: sizes.length }, (_, i) => i).filter((i) => stratumOf(Number(sizes[i]) || 0) === stratum);
    const w = capShares(idx.map((i) => Math.max(0, Number(sizes[i]) || 0)), MAX_ITEM_SHARE);
    let inW = 0, outW = 0, inHit = 0, outHit = 0, inCount = 0, outCount = 0;
    idx.forEach((i, k) => {
      const wi = w[k]!;
      const p = Math.min(1, Math.max(0, Number(probability[i]) || 0));
      inW += wi * p;
      outW += wi * (1 - p);
      inCount += p;
      outCount += 1 - p;
      if (votes[i]) inHit += wi * p;
      else outHit += wi * (1 - p);
    });
    const half = Math.max(0, budget) / 2;
    const sensTotal = inW > 0 ? half * Math.min(1, inCount) : 0;
    const specTotal = outW > 0 ? half * Math.min(1, outCount) : 0;
    const sensHits = inW > 0 ? (sensTotal * inHit) / inW : 0;
    const specHits = outW > 0 ? (specTotal * outHit) / outW : 0;
    if (stratum === "thick") Object.assign(out, { sensHits, sensTotal, specHits, specTotal });
    else Object.assign(out, { thinSensHits: sensHits, thinSensTotal: sensTotal, thinSpecHits: specHits, thinSpecTotal: specTotal });
  }
  return out;
}

/** Evidence as Prisma increments. */
export function increments(e: Evidence) {
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, { increment: v }])) as { [K in keyof Evidence]: { increment: number } };
}

/** A point estimate for display: posterior means of sensitivity and specificity. */
export function reliabilitySummary(counts: ReliabilityCounts, expert = false) {
  const p = workerPrior(counts, expert);
  const m = (b: { alpha: number; beta: number }) => b.alpha / (b.alpha + b.beta);
  return { sensitivity: m(p.sensitivity), specificity: m(p.specificity), majorityWeight: majorityWeight(counts, expert) };
}
