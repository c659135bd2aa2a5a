// Binary Dawid–Skene (1979): each worker has a sensitivity (P(votes in | truly in)) and a specificity
// (P(votes out | truly out)) with Beta priors; EM estimates them jointly with each item's posterior P(in).
// Items are weighted (by supervoxel volume), so big supervoxels count more as evidence about workers.
// Deterministic: the same input gives bit-identical output, whatever the caller's timing.

export type BetaPrior = { alpha: number; beta: number };
export type WorkerPrior = { sensitivity: BetaPrior; specificity: BetaPrior };

export type DawidSkeneInput = {
  /** Per item, > 0 (non-positive or non-finite weights count as a tiny weight). */
  weights: ArrayLike<number>;
  /** Per worker, per item: 1 = voted in, 0 = voted out. Every worker labels every item. */
  votes: ArrayLike<number>[];
  /** Per worker. */
  priors: WorkerPrior[];
  /** Prior on the share of items that are in. */
  classPrior?: BetaPrior;
  /**
   * Total evidence weight of all items (default: the number of items). Smaller values let the workers'
   * priors (their record) count more against what this one set of items suggests.
   */
  totalWeight?: number;
  /**
   * No item carries more than this share of the total weight (default 1: no cap). With few workers, one big
   * disputed item would otherwise decide the workers' estimates, and through them its own label.
   */
  maxItemShare?: number;
  maxIterations?: number;
  /** Stop when no posterior moves by more than this. */
  tolerance?: number;
};

export type DawidSkeneResult = {
  posterior: Float64Array;
  sensitivity: number[];
  specificity: number[];
  prevalence: number;
  iterations: number;
  converged: boolean;
};

const EPS = 1e-6;

/**
 * Lowers the biggest weights (water-filling) so that none is more than `share` of the total, keeping the
 * order of the weights. With 1/share items or fewer that is impossible: they all get the smallest weight.
 */
export function capShares(weights: readonly number[], share: number): number[] {
  const n = weights.length;
  if (n === 0 || share >= 1) return [...weights];
  const least = Math.min(...weights);
  if (share * n <= 1) return weights.map(() => least);
  const order = weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]!);
  // rest[k]: sum of all but the k biggest, summed from the smallest up (no cancellation).
  const rest = new Array<number>(n + 1).fill(0);
  for (let k = n - 1; k >= 0; k--) rest[k] = rest[k + 1]! + weights[order[k]!]!;
  for (let k = 0; k < n; k++) {
    // Cap the k biggest at c, where c is `share` of the new total: c = share·(k·c + rest).
    const c = (share * rest[k]!) / (1 - share * k);
    if (weights[order[k]!]! <= c) {
      const out = [...weights];
      for (let j = 0; j < k; j++) out[order[j]!] = c;
      return out;
    }
  }
  return weights.map(() => least);
}
const clampP = (p: number) => (p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p);
const mean = (b: BetaPrior) => b.alpha / (b.alpha + b.beta);

/** Log-likelihood ratio of an in vote and of an out vote, for a worker with these parameters. */
export function voteLogOdds(sensitivity: number, specificity: number): { inVote: number; outVote: number } {
  const a = clampP(sensitivity);
  const b = clampP(specificity);
  return { inVote: Math.log(a / (1 - b)), outVote: Math.log((1 - a) / b) };
}

export function dawidSkene(input: DawidSkeneInput): DawidSkeneResult {
  const n = input.weights.length;
  const m = input.votes.length;
  if (input.priors.length !== m) throw new Error(`${m} workers but ${input.priors.length} priors`);
  for (const v of input.votes) if (v.length !== n) throw new Error(`a worker labels ${v.length} items, expected ${n}`);
  const classPrior = input.classPrior ?? { alpha: 2, beta: 2 };
  const maxIterations = input.maxIterations ?? 100;
  const tolerance = input.tolerance ?? 1e-9;

  // Weights normalised to sum to `totalWeight` (default n): spread by volume.
  const budget = input.totalWeight !== undefined && input.totalWeight > 0 ? input.totalWeight : n;
  let total = 0;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Number(input.weights[i]);
    w[i] = Number.isFinite(x) && x > 0 ? x : 1e-9;
    total += w[i]!;
  }
  if (input.maxItemShare !== undefined && input.maxItemShare < 1) {
    const capped = capShares(Array.from(w), input.maxItemShare);
    total = 0;
    for (let i = 0; i < n; i++) total += w[i] = capped[i]!;
  }
  for (let i = 0; i < n; i++) w[i] = (w[i]! * budget) / total;

  const sens = input.priors.map((p) => clampP(mean(p.sensitivity)));
  const spec = input.priors.map((p) => clampP(mean(p.specificity)));
  let prevalence = clampP(mean(classPrior));
  const posterior = new Float64Array(n);
  eStep(posterior, input.votes, sens, spec, prevalence);

  let iterations = 0;
  let converged = n === 0 || m === 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    // M-step: posterior-mean style estimates (prior pseudo-counts plus weighted soft counts).
    let inMass = 0;
    for (let i = 0; i < n; i++) inMass += w[i]! * posterior[i]!;
    prevalence = clampP((classPrior.alpha + inMass) / (classPrior.alpha + classPrior.beta + budget));
    for (let j = 0; j < m; j++) {
      const v = input.votes[j]!;
      let hitIn = 0, hitOut = 0;
      for (let i = 0; i < n; i++) {
        const p = posterior[i]!;
        if (v[i]) hitIn += w[i]! * p;
        else hitOut += w[i]! * (1 - p);
      }
      const pr = input.priors[j]!;
      sens[j] = clampP((pr.sensitivity.alpha + hitIn) / (pr.sensitivity.alpha + pr.sensitivity.beta + inMass));
      spec[j] = clampP((pr.specificity.alpha + hitOut) / (pr.specificity.alpha + pr.specificity.beta + (budget - inMass)));
    }
    const before = Float64Array.from(posterior);
    eStep(posterior, input.votes, sens, spec, prevalence);
    let delta = 0;
    for (let i = 0; i < n; i++) delta = Math.max(delta, Math.abs(posterior[i]! - before[i]!));
    converged = delta <= tolerance;
  }
  return { posterior, sensitivity: sens, specificity: spec, prevalence, iterations, converged };
}

function eStep(out: Float64Array, votes: ArrayLike<number>[], sens: number[], spec: number[], prevalence: number) {
  const odds = votes.map((_, j) => voteLogOdds(sens[j]!, spec[j]!));
  const base = Math.log(prevalence / (1 - prevalence));
  for (let i = 0; i < out.length; i++) {
    let l = base;
    for (let j = 0; j < votes.length; j++) l += votes[j]![i] ? odds[j]!.inVote : odds[j]!.outVote;
    out[i] = 1 / (1 + Math.exp(-l));
  }
}
