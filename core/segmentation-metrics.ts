/**
 * Segmentation quality against ground truth (SNEMI3D / CREMI measures plus the clicking measures of
 * an over-segmentation). Pure. Voxels whose ground truth is 0 (unlabelled) are ignored everywhere.
 *
 * With n_ij = voxels in ground-truth body i and segment j, a_i = Σ_j n_ij, b_j = Σ_i n_ij, N = Σ n_ij:
 * - VI split = H(seg | gt)  (bits): how much the segmentation splits true bodies. Lower is better.
 * - VI merge = H(gt | seg)  (bits): how much segments mix true bodies. Lower is better.
 * - adapted Rand error = 1 - F, F = 2PR/(P+R), P = Σn_ij² / Σb_j², R = Σn_ij² / Σa_i²
 *   (the SNEMI3D / CREMI form, self-pairs included; skimage.metrics.adapted_rand_error subtracts N
 *   from each sum, a negligible difference on real volumes).
 * - voxel purity = Σ_j max_i n_ij / N: the share of voxels lying in their segment's majority body.
 * - supervoxels per neuron: each segment is assigned to its majority body; mean over bodies of the
 *   number of segments assigned (a body may get 0). That is the clicks needed to trace a neuron.
 */

export type SegmentationScores = {
  voxels: number;
  segments: number;
  bodies: number;
  viSplit: number;
  viMerge: number;
  adaptedRandError: number;
  purity: number;
  supervoxelsPerNeuron: number;
  /** median of the same per-body counts */
  supervoxelsPerNeuronMedian: number;
};

/** Contingency of (gt, seg) over `indices` (or all voxels). Keys are gt * 2^32 + seg as Numbers (exact below 2^21 bodies). */
export function contingency(
  seg: Uint32Array,
  gt: Uint32Array,
  range: { from: number; to: number } = { from: 0, to: seg.length },
): Map<number, number> {
  if (seg.length !== gt.length) throw new Error(`segmentation has ${seg.length} voxels, ground truth ${gt.length}`);
  const m = new Map<number, number>();
  let lastKey = -1;
  let run = 0;
  for (let i = range.from; i < range.to; i++) {
    const g = gt[i]!;
    if (g === 0) continue;
    const key = g * 4294967296 + seg[i]!;
    if (key === lastKey) {
      run++;
      continue;
    }
    if (run > 0) m.set(lastKey, (m.get(lastKey) ?? 0) + run);
    lastKey = key;
    run = 1;
  }
  if (run > 0) m.set(lastKey, (m.get(lastKey) ?? 0) + run);
  return m;
}

/** All the measures above from a contingency map (see `contingency`). */
export function scoresFromContingency(table: Map<number, number>): SegmentationScores {
  const a = new Map<number, number>(); // body -> voxels
  const b = new Map<number, number>(); // segment -> voxels
  const segBest = new Map<number, { body: number; n: number }>();
  let N = 0;
  let sumN2 = 0;
  for (const [key, n] of table) {
    const g = Math.floor(key / 4294967296);
    const s = key - g * 4294967296;
    a.set(g, (a.get(g) ?? 0) + n);
    b.set(s, (b.get(s) ?? 0) + n);
    const best = segBest.get(s);
    if (!best || n > best.n || (n === best.n && g < best.body)) segBest.set(s, { body: g, n });
    N += n;
    sumN2 += n * n;
  }
  if (N === 0) throw new Error("no ground-truth voxels (all 0) in the evaluated region");
  let sumA2 = 0;
  let sumB2 = 0;
  for (const v of a.values()) sumA2 += v * v;
  for (const v of b.values()) sumB2 += v * v;
  // H(seg|gt) = -Σ p_ij log(p_ij / p_i),  H(gt|seg) = -Σ p_ij log(p_ij / p_j)
  let hSegGivenGt = 0;
  let hGtGivenSeg = 0;
  for (const [key, n] of table) {
    const g = Math.floor(key / 4294967296);
    const s = key - g * 4294967296;
    const p = n / N;
    hSegGivenGt -= p * Math.log2(n / a.get(g)!);
    hGtGivenSeg -= p * Math.log2(n / b.get(s)!);
  }
  const P = sumN2 / sumB2;
  const R = sumN2 / sumA2;
  const are = 1 - (2 * P * R) / (P + R);
  let pure = 0;
  const perBody = new Map<number, number>();
  for (const g of a.keys()) perBody.set(g, 0);
  for (const { body, n } of segBest.values()) {
    pure += n;
    perBody.set(body, perBody.get(body)! + 1);
  }
  const counts = Array.from(perBody.values()).sort((x, y) => x - y);
  const mid = counts.length >> 1;
  const median = counts.length % 2 ? counts[mid]! : (counts[mid - 1]! + counts[mid]!) / 2;
  return {
    voxels: N,
    segments: b.size,
    bodies: a.size,
    viSplit: Math.max(0, hSegGivenGt),
    viMerge: Math.max(0, hGtGivenSeg),
    adaptedRandError: are,
    purity: pure / N,
    supervoxelsPerNeuron: b.size / a.size,
    supervoxelsPerNeuronMedian: median,
  };
}

/**
 * Scores of `seg` against `gt` (same z,y,x volume of `plane` voxels per slice), over slices
 * z in [zFrom, zTo) (default: all).
 */
export function segmentationScores(
  seg: Uint32Array,
  gt: Uint32Array,
  plane: number,
  zFrom = 0,
  zTo = Math.floor(seg.length / plane),
): SegmentationScores {
  if (seg.length !== gt.length) throw new Error(`segmentation has ${seg.length} voxels, ground truth ${gt.length}`);
  if (!(zFrom >= 0 && zTo > zFrom && zTo * plane <= seg.length)) {
    throw new RangeError(`z range ${zFrom}-${zTo - 1} is outside the volume (0-${seg.length / plane - 1})`);
  }
  return scoresFromContingency(contingency(seg, gt, { from: zFrom * plane, to: zTo * plane }));
}
