// Combining several players' traces of one cube, and scoring one trace against the result.

export type Consensus = { supervoxels: number[]; votes: Map<number, number> };

/**
 * A supervoxel is in when strictly more than half of the traces include it, or, when `minVotes` is
 * given, when at least `minVotes` traces do (minVotes below 1 counts as 1: an id nobody chose can't win).
 * A trace listing an id twice votes once.
 */
export function majorityConsensus(traces: number[][], opts?: { minVotes?: number }): Consensus {
  const votes = new Map<number, number>();
  const seen = new Set<number>();
  for (const t of traces) {
    seen.clear();
    for (const id of t) {
      if (seen.has(id)) continue;
      seen.add(id);
      votes.set(id, (votes.get(id) ?? 0) + 1);
    }
  }
  const n = traces.length;
  const need = opts?.minVotes;
  const wins = need === undefined ? (v: number) => 2 * v > n : (v: number) => v >= Math.max(1, need);
  const supervoxels: number[] = [];
  for (const [id, v] of votes) if (wins(v)) supervoxels.push(id);
  supervoxels.sort((a, b) => a - b);
  return { supervoxels, votes };
}

export type Comparison = {
  precision: number;
  recall: number;
  f1: number;
  /** In both, sorted. */
  agreed: number[];
  /** In the trace only, sorted. */
  extra: number[];
  /** In the consensus only, sorted. */
  missed: number[];
};

/**
 * Precision/recall/F1 of a trace against the consensus, weighted by supervoxel volume so a big
 * missed segment costs more than a speck. An id absent from `sizes` weighs 1 voxel (never invisible);
 * a negative or non-finite size weighs 0.
 *
 * Empty (zero-weight) sides are vacuous: precision is 1 when the trace is empty, recall is 1 when the
 * consensus is empty. So both empty → 1/1/1; empty trace vs non-empty consensus → P 1, R 0, F1 0;
 * anything vs empty consensus → P 0, R 1, F1 0; no overlap → 0/0/0.
 */
export function compareToConsensus(trace: number[], consensus: number[], sizes: Map<number, number>): Comparison {
  const inTrace = new Set(trace);
  const inConsensus = new Set(consensus);
  const weight = (id: number) => {
    const s = sizes.get(id);
    if (s === undefined) return 1;
    return Number.isFinite(s) && s > 0 ? s : 0;
  };
  const agreed: number[] = [];
  const extra: number[] = [];
  const missed: number[] = [];
  let wAgreed = 0;
  let wTrace = 0;
  let wConsensus = 0;
  for (const id of inTrace) {
    const w = weight(id);
    wTrace += w;
    if (inConsensus.has(id)) {
      agreed.push(id);
      wAgreed += w;
    } else extra.push(id);
  }
  for (const id of inConsensus) {
    wConsensus += weight(id);
    if (!inTrace.has(id)) missed.push(id);
  }
  const byNumber = (a: number, b: number) => a - b;
  agreed.sort(byNumber);
  extra.sort(byNumber);
  missed.sort(byNumber);
  const precision = wTrace > 0 ? wAgreed / wTrace : 1;
  const recall = wConsensus > 0 ? wAgreed / wConsensus : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, agreed, extra, missed };
}
