/**
 * Suggestion maths: which supervoxels next to the player's selection probably belong to the same
 * neuron, and which selected supervoxel probably merges two neurons. Pure: no I/O, no runtime.
 * The browser worker (game/inference) runs it on the boundary map that the model predicts for the
 * slices around the current one; `npm run eval:suggestions` runs it on the stored boundary map.
 *
 * Inputs are one window of voxels: `labels` (supervoxel ids, 0 = none) and `boundary` (boundary
 * probability in [0, 1], or bytes 0..255 with `boundaryScale` 1/255), both zyx C order over `dims`.
 *
 *   contact graph   two supervoxels touch where two face-adjacent voxels carry their labels, or where
 *                   one voxel of label 0 sits between them along an axis (watersheds with boundary
 *                   lines). A contact's evidence per voxel is the two voxels' mean boundary (or the
 *                   middle voxel's across a label-0 gap); it keeps the sum and a 16-bin histogram.
 *   merge p         calibrated (logistic, fitted on the train slab): mean and lower quartile of the
 *                   evidence, the candidate's size relative to what it joins, and the share of its
 *                   surface that touches it. Contacts without a histogram: 1 − mean, shrunk to a prior.
 *   suggestions     neighbours of the selection (contact summed over every selected supervoxel) with
 *                   merge p ≥ `minProbability`, each with its *group*: what joins it with p ≥
 *                   `groupThreshold` against the group so far (one accept adds the group). First comes
 *                   the group most likely to be the best continuation: right, and no likely group more
 *                   than twice its size beside it (not p × voxels: that put huge unlikely cells first).
 *   split offer     a selected supervoxel whose voxels, once the strong-boundary voxels inside it are
 *                   taken out, fall into two large pieces: the boundary cuts it, so it probably merges
 *                   two cells. The pieces grow back over the cut (multi-source BFS) into two sides.
 */

export type Dims = { x: number; y: number; z: number };

/** Bins of a contact's evidence histogram over [0, 1] (for its low quantile). */
export const CONTACT_BINS = 16;

export type Contact = {
  /** Smaller id first. */
  a: number;
  b: number;
  /** Voxel pairs (or label-0 gap voxels) in contact. */
  count: number;
  /** Sum of the boundary evidence over the contact. */
  sum: number;
  /** Contact voxels by evidence in CONTACT_BINS equal bins; absent: every voxel at the mean. */
  hist?: Uint32Array;
};

export type ContactGraph = {
  /** Voxels per supervoxel in the window. */
  sizes: Map<number, number>;
  /** adjacency.get(a).get(b) === adjacency.get(b).get(a): the same Contact object. */
  adjacency: Map<number, Map<number, Contact>>;
};

export type GraphOptions = {
  /** Multiply boundary values by this (1/255 for byte maps). Default 1. */
  boundaryScale?: number;
  /** Count contacts across one label-0 voxel. Default true. */
  bridgeZero?: boolean;
};

function link(adj: Map<number, Map<number, Contact>>, a: number, b: number, evidence: number): void {
  const lo = a < b ? a : b;
  const hi = a < b ? b : a;
  let row = adj.get(lo);
  if (!row) adj.set(lo, (row = new Map()));
  let c = row.get(hi);
  if (!c) {
    c = { a: lo, b: hi, count: 0, sum: 0, hist: new Uint32Array(CONTACT_BINS) };
    row.set(hi, c);
    let back = adj.get(hi);
    if (!back) adj.set(hi, (back = new Map()));
    back.set(lo, c);
  }
  c.count++;
  c.sum += evidence;
  const bin = Math.floor(evidence * CONTACT_BINS);
  c.hist![bin < 0 ? 0 : bin >= CONTACT_BINS ? CONTACT_BINS - 1 : bin]!++;
}

function checkWindow(labels: ArrayLike<number>, boundary: ArrayLike<number>, dims: Dims): number {
  const { x, y, z } = dims;
  if (![x, y, z].every((v) => Number.isInteger(v) && v > 0)) throw new RangeError(`bad window ${x}×${y}×${z}`);
  const n = x * y * z;
  if (labels.length !== n) throw new Error(`labels have ${labels.length} voxels, window ${x}×${y}×${z} needs ${n}`);
  if (boundary.length !== n) throw new Error(`boundary has ${boundary.length} voxels, window ${x}×${y}×${z} needs ${n}`);
  return n;
}

/** The region adjacency graph of a window with boundary evidence on every contact. */
export function buildContactGraph(
  labels: ArrayLike<number>,
  boundary: ArrayLike<number>,
  dims: Dims,
  opts: GraphOptions = {},
): ContactGraph {
  checkWindow(labels, boundary, dims);
  const scale = opts.boundaryScale ?? 1;
  const bridge = opts.bridgeZero ?? true;
  const { x: sx, y: sy, z: sz } = dims;
  const plane = sx * sy;
  const sizes = new Map<number, number>();
  const adjacency = new Map<number, Map<number, Contact>>();
  let lastLabel = -1;
  let lastCount = 0;
  // One axis step: a direct contact, or one across a single label-0 voxel.
  const step = (i: number, l: number, stride: number, room: number) => {
    const j = i + stride;
    const m = labels[j]!;
    if (m !== 0) {
      if (m !== l) link(adjacency, l, m, ((boundary[i]! + boundary[j]!) * scale) / 2);
    } else if (bridge && room >= 2) {
      const k = labels[j + stride]!;
      if (k !== 0 && k !== l) link(adjacency, l, k, boundary[j]! * scale);
    }
  };
  for (let zi = 0, i = 0; zi < sz; zi++) {
    for (let yi = 0; yi < sy; yi++) {
      for (let xi = 0; xi < sx; xi++, i++) {
        const l = labels[i]!;
        if (l === 0) continue;
        if (l === lastLabel) lastCount++;
        else {
          if (lastLabel > 0) sizes.set(lastLabel, (sizes.get(lastLabel) ?? 0) + lastCount);
          lastLabel = l;
          lastCount = 1;
        }
        if (xi + 1 < sx) step(i, l, 1, sx - 1 - xi);
        if (yi + 1 < sy) step(i, l, sx, sy - 1 - yi);
        if (zi + 1 < sz) step(i, l, plane, sz - 1 - zi);
      }
    }
  }
  if (lastLabel > 0) sizes.set(lastLabel, (sizes.get(lastLabel) ?? 0) + lastCount);
  return { sizes, adjacency };
}

/**
 * The slices a suggestion request reads (cube-local, inclusive): the contiguous run of usable slices
 * around `z`, at most `radius` either side, clamped to the cube; null when `z` itself is not usable.
 * The game's worker and `eval:suggestions --window` both use it, so they cut the same window.
 */
export function suggestionWindow(
  z: number,
  radius: number,
  depth: number,
  usable: (z: number) => boolean = () => true,
): { z: number; zFrom: number; zTo: number } | null {
  const c = Math.min(depth - 1, Math.max(0, Math.round(z)));
  if (!usable(c)) return null;
  const r = Math.max(0, Math.floor(radius));
  let zFrom = c;
  let zTo = c;
  while (zFrom - 1 >= Math.max(0, c - r) && usable(zFrom - 1)) zFrom--;
  while (zTo + 1 <= Math.min(depth - 1, c + r) && usable(zTo + 1)) zTo++;
  return { z: c, zFrom, zTo };
}

export type SliceWindow = { labels: Uint32Array; boundary: Float32Array; dims: Dims; graph: ContactGraph };

/**
 * Stack slices zFrom..zTo (`sliceOf` gives each one's labels and boundary, `scale` turns the boundary
 * into [0, 1]) and build their contact graph: sizes and surfaces are those inside the window, as the
 * game's worker sees them.
 */
export function windowContactGraph(
  zFrom: number,
  zTo: number,
  plane: { x: number; y: number },
  sliceOf: (z: number) => { labels: ArrayLike<number>; boundary: ArrayLike<number> },
  scale = 1,
): SliceWindow {
  const n = plane.x * plane.y;
  const nz = zTo - zFrom + 1;
  if (!(nz > 0)) throw new RangeError(`empty window z ${zFrom}-${zTo}`);
  const labels = new Uint32Array(nz * n);
  const boundary = new Float32Array(nz * n);
  for (let k = 0; k < nz; k++) {
    const s = sliceOf(zFrom + k);
    if (s.labels.length !== n || s.boundary.length !== n) throw new Error(`slice ${zFrom + k} has the wrong size`);
    labels.set(s.labels, k * n);
    if (scale === 1) boundary.set(s.boundary, k * n);
    else for (let i = 0; i < n; i++) boundary[k * n + i] = s.boundary[i]! * scale;
  }
  const dims = { x: plane.x, y: plane.y, z: nz };
  return { labels, boundary, dims, graph: buildContactGraph(labels, boundary, dims) };
}

/** A contact summed over several pairs (a neighbour against the whole selection, or a group). */
export type ContactSum = { count: number; sum: number; hist?: ArrayLike<number> };

/** Add contact `c` into `acc` (the histogram only while every part has one). */
function addContact(acc: { count: number; sum: number; hist?: Float64Array; partial?: boolean }, c: Contact): void {
  acc.count += c.count;
  acc.sum += c.sum;
  const h = c.hist;
  if (!h || acc.partial) {
    acc.partial = true;
    delete acc.hist;
    return;
  }
  acc.hist ??= new Float64Array(CONTACT_BINS);
  for (let k = 0; k < CONTACT_BINS; k++) acc.hist[k]! += h[k]!;
}

/** The q-quantile (0..1) of the evidence along a contact: linear inside a histogram bin; the mean without one. */
export function contactQuantile(c: ContactSum, q: number): number {
  if (!(c.count > 0)) return 0;
  if (!c.hist) return c.sum / c.count;
  const target = q * c.count;
  let acc = 0;
  for (let k = 0; k < CONTACT_BINS; k++) {
    const h = c.hist[k]!;
    if (h > 0 && acc + h >= target) return (k + (target - acc) / h) / CONTACT_BINS;
    acc += h;
  }
  return 1;
}

/**
 * What the merge probability reads about a candidate joining one side (the selection, or a group):
 *   mean       mean boundary evidence over the contact;
 *   q25        its lower quartile: a membrane with gaps still scores high on the mean but a true
 *              continuation is low along most of the contact;
 *   sizeRatio  ln(candidate voxels / side voxels): a neighbour much larger than what it joins is
 *              usually another cell that only brushes it (glia, a passing trunk);
 *   touch      share of the candidate's whole contact surface that touches the side: a piece that
 *              wraps into the selection belongs to it, one touching it on a small face mostly not.
 */
export type MergeFeatures = { mean: number; q25: number; sizeRatio: number; touch: number };

export function mergeFeatures(contact: ContactSum, voxels: number, sideVoxels: number, surface: number): MergeFeatures {
  const { count, sum } = contact;
  if (!(count >= 0) || !(sum >= 0)) throw new RangeError("contact count and sum must be ≥ 0");
  const mean = count > 0 ? sum / count : 1;
  return {
    mean,
    q25: contactQuantile(contact, 0.25),
    sizeRatio: Math.log(Math.max(1, voxels) / Math.max(1, sideVoxels)),
    touch: surface > 0 ? Math.min(1, count / surface) : 0,
  };
}

/** Logistic weights of the merge probability (bias + one per feature). */
export type MergeModel = { bias: number; mean: number; q25: number; sizeRatio: number; touch: number };

/**
 * Fitted by logistic regression on the train slab (z 0-149) of the NeuroProof sample, with the committed
 * boundary model: every neighbour (contact ≥ 3) of the selections a player passes through while tracing
 * the 20 largest neurons of z 0-74 and 75-149, labelled by ground truth (more than half of it inside the
 * neuron). Refit: `AXONAUT_STORE=.data/test-store npx tsx bench/fit-merge-model.ts`. 1 − mean evidence
 * alone was badly calibrated for large neighbours: of those ≥ 50,000 voxels at "p ≥ 0.9", 7 % belonged.
 * Fitted on whole-part graphs; a refit on the game's ±4-slice windows (`--window 4`) did not save
 * clicks in those windows (clicks with: validation 29 vs 30, train 64 vs 63 and 120 vs 114), so this
 * one stays (README "Suggestions").
 */
export const DEFAULT_MERGE_MODEL: MergeModel = { bias: -0.483, mean: -5.166, q25: -7.727, sizeRatio: -0.445, touch: 4.42 };

/** Calibrated probability that the candidate belongs with the side it touches. */
export function mergeProbability(f: MergeFeatures, model: MergeModel = DEFAULT_MERGE_MODEL): number {
  const z = model.bias + model.mean * f.mean + model.q25 * f.q25 + model.sizeRatio * f.sizeRatio + model.touch * f.touch;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Evidence-only estimate: 1 − mean evidence, shrunk towards 0.3 by 4 pseudo-voxels so a contact of a
 * few voxels cannot look certain. For contacts without a histogram (graphs not built from voxels,
 * e.g. hand-made or from graph.json's mean scores): the calibrated model needs the lower quartile.
 */
export function evidenceProbability(contact: { count: number; sum: number }): number {
  const { count, sum } = contact;
  if (!(count >= 0) || !(sum >= 0)) throw new RangeError("contact count and sum must be ≥ 0");
  const p = (count - sum + 0.3 * 4) / (count + 4);
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** Merge probability of a candidate (`voxels`) with a side (`sideVoxels`) over `contact`. */
export function candidateProbability(contact: ContactSum, voxels: number, sideVoxels: number, surface: number, model: MergeModel = DEFAULT_MERGE_MODEL): number {
  if (!contact.hist) return evidenceProbability(contact);
  return mergeProbability(mergeFeatures(contact, voxels, sideVoxels, surface), model);
}

export type Suggestion = {
  /** The neighbour that touches the selection. */
  supervoxel: number;
  /** Its merge probability with the whole selection. */
  probability: number;
  /** Contact voxels with the selection. */
  contact: number;
  /** What an accept adds: the neighbour first, then what joins it with p ≥ groupThreshold. */
  group: number[];
  /** Voxels of the group in the window. */
  voxels: number;
};

export type SuggestOptions = {
  /** How many suggestions (default 3). */
  limit?: number;
  /** Neighbours with less contact are never suggested (default 6 voxels). */
  minContact?: number;
  /** Neighbours below this merge probability are never suggested (default 0.5). */
  minProbability?: number;
  /** A group grows over candidates of at least this merge probability with it (default 0.9; above 1 = no groups). */
  groupThreshold?: number;
  /** Contacts smaller than this never join a group (default 12). */
  groupMinContact?: number;
  /** At most this many supervoxels per group (default 32). */
  maxGroup?: number;
  /** Never suggest these (dismissed by the player). */
  exclude?: ReadonlySet<number>;
  /**
   * Order:
   *  "best-continuation" (default): the chance that this group is right and no other likely group
   *     is more than 1/worthShare times larger: the one the player would want to take next. A large
   *     likely piece beats a likelier speck, a huge unlikely neighbour beats nothing.
   *  "expected-voxels": group probability × voxels (lets a huge unlikely neighbour win).
   *  "probability": merge probability alone.
   */
  rankBy?: "best-continuation" | "probability" | "expected-voxels";
  /** For "best-continuation": a group at least this share of a larger one still counts as worth it (default 0.5). */
  worthShare?: number;
  model?: MergeModel;
};

/** The memoised contact surface of each supervoxel (sum of its contacts); one per ranking. */
export function surfaces(graph: ContactGraph): (id: number) => number {
  const memo = new Map<number, number>();
  return (id) => {
    let s = memo.get(id);
    if (s === undefined) {
      s = 0;
      for (const c of graph.adjacency.get(id)?.values() ?? []) s += c.count;
      memo.set(id, s);
    }
    return s;
  };
}

/** Contact of each neighbour of `selected` (not excluded) with the whole selection. */
export function selectionContacts(graph: ContactGraph, selected: ReadonlySet<number>, exclude: ReadonlySet<number> = new Set()): Map<number, ContactSum> {
  const touching = new Map<number, { count: number; sum: number; hist?: Float64Array; partial?: boolean }>();
  for (const s of selected) {
    const row = graph.adjacency.get(s);
    if (!row) continue;
    for (const [n, c] of row) {
      if (selected.has(n) || exclude.has(n)) continue;
      let t = touching.get(n);
      if (!t) touching.set(n, (t = { count: 0, sum: 0 }));
      addContact(t, c);
    }
  }
  return touching;
}

type Grown = { ids: number[]; probability: number; voxels: number };

/**
 * Rank the neighbours of `selected` (see `rankBy`). A neighbour already inside a better suggestion's
 * group is not suggested again. Ties: higher probability, more contact, then the smaller id.
 */
export function rankSuggestions(graph: ContactGraph, selected: ReadonlySet<number>, opts: SuggestOptions = {}): Suggestion[] {
  const limit = opts.limit ?? 3;
  const minContact = opts.minContact ?? 6;
  const minP = opts.minProbability ?? 0.5;
  const model = opts.model ?? DEFAULT_MERGE_MODEL;
  const exclude = opts.exclude ?? new Set<number>();
  const surface = surfaces(graph);
  const sizeOf = (id: number) => graph.sizes.get(id) ?? 0;
  let selVoxels = 0;
  for (const s of selected) selVoxels += sizeOf(s);

  const touching = selectionContacts(graph, selected, exclude);
  const candidates: { supervoxel: number; probability: number; contact: number }[] = [];
  for (const [n, t] of touching) {
    if (t.count < minContact) continue;
    const p = candidateProbability(t, sizeOf(n), selVoxels, surface(n), model);
    if (p >= minP) candidates.push({ supervoxel: n, probability: p, contact: t.count });
  }
  candidates.sort((u, v) => v.probability - u.probability || v.contact - u.contact || u.supervoxel - v.supervoxel);
  const rankBy = opts.rankBy ?? "best-continuation";
  if (rankBy !== "probability") {
    const none = new Set<number>();
    const grown = new Map(candidates.map((c) => [c.supervoxel, grow(graph, c.supervoxel, c.probability, selected, exclude, none, opts, surface)]));
    const score = new Map<number, number>();
    const share = opts.worthShare ?? 0.5;
    for (const c of candidates) {
      const g = grown.get(c.supervoxel)!;
      if (rankBy === "expected-voxels") score.set(c.supervoxel, g.probability * g.voxels);
      else {
        // Right, and no likely group much larger next to it (independent guesses).
        let s = g.probability;
        for (const o of grown.values()) if (o !== g && share * o.voxels > g.voxels) s *= 1 - o.probability;
        score.set(c.supervoxel, s);
      }
    }
    candidates.sort((u, v) => score.get(v.supervoxel)! - score.get(u.supervoxel)! || v.probability - u.probability || u.supervoxel - v.supervoxel);
  }

  const out: Suggestion[] = [];
  const taken = new Set<number>();
  for (const c of candidates) {
    if (out.length >= limit) break;
    if (taken.has(c.supervoxel)) continue;
    const g = grow(graph, c.supervoxel, c.probability, selected, exclude, taken, opts, surface);
    for (const id of g.ids) taken.add(id);
    out.push({ ...c, group: g.ids, voxels: g.voxels });
  }
  return out;
}

/** The start supervoxel plus what joins it over confident contacts (see `grow`). */
export function growGroup(
  graph: ContactGraph,
  start: number,
  selected: ReadonlySet<number>,
  exclude: ReadonlySet<number>,
  taken: ReadonlySet<number>,
  opts: SuggestOptions = {},
): number[] {
  return grow(graph, start, 1, selected, exclude, taken, opts, surfaces(graph)).ids;
}

/**
 * Grow a group from `start` (merge probability `p0` with the selection): repeatedly add the neighbour
 * of the group with the highest merge probability *with the group so far* (its features against the
 * group, as a neighbour's against the selection), while that is ≥ groupThreshold. The group's
 * probability is the product along the way (each join can be wrong), so a long chain of fair joins
 * does not look certain.
 */
function grow(
  graph: ContactGraph,
  start: number,
  p0: number,
  selected: ReadonlySet<number>,
  exclude: ReadonlySet<number>,
  taken: ReadonlySet<number>,
  opts: SuggestOptions,
  surface: (id: number) => number,
): Grown {
  const threshold = opts.groupThreshold ?? 0.9;
  const minContact = opts.groupMinContact ?? 12;
  const maxGroup = Math.max(1, opts.maxGroup ?? 32);
  const model = opts.model ?? DEFAULT_MERGE_MODEL;
  const sizeOf = (id: number) => graph.sizes.get(id) ?? 0;
  const ids = [start];
  const inGroup = new Set(ids);
  let voxels = sizeOf(start);
  let probability = p0;
  if (threshold > 1) return { ids, probability, voxels };
  // Contact of each outside neighbour with the group so far.
  const frontier = new Map<number, { count: number; sum: number; hist?: Float64Array; partial?: boolean }>();
  const absorb = (from: number) => {
    for (const [n, c] of graph.adjacency.get(from) ?? []) {
      if (inGroup.has(n) || selected.has(n) || exclude.has(n) || taken.has(n)) continue;
      let t = frontier.get(n);
      if (!t) frontier.set(n, (t = { count: 0, sum: 0 }));
      addContact(t, c);
    }
  };
  absorb(start);
  while (ids.length < maxGroup) {
    let best = -1;
    let bestP = threshold;
    for (const [n, t] of frontier) {
      if (t.count < minContact) continue;
      const p = candidateProbability(t, sizeOf(n), voxels, surface(n), model);
      if (p > bestP || (p === bestP && best >= 0 && n < best) || (p === bestP && best < 0)) {
        best = n;
        bestP = p;
      }
    }
    if (best < 0) break;
    frontier.delete(best);
    ids.push(best);
    inGroup.add(best);
    voxels += sizeOf(best);
    probability *= bestP;
    absorb(best);
  }
  return { ids, probability, voxels };
}

export type SplitOptions = {
  /** Voxels at or above this boundary probability form the cut (default 0.5). */
  threshold?: number;
  /** Each side needs at least this share of the supervoxel's voxels in the window (default 0.15). */
  minSideFraction?: number;
  /** …and at least this many voxels (default 150). */
  minSideVoxels?: number;
  /** Multiply boundary values by this (1/255 for byte maps). Default 1. */
  boundaryScale?: number;
};

export type SplitProposal = {
  supervoxel: number;
  /** Window index of one voxel of the side kept in the neuron, and one of the side cut off. */
  keepVoxel: number;
  dropVoxel: number;
  keepVoxels: number;
  dropVoxels: number;
  /** Voxels of the supervoxel at or above the threshold (the cut). */
  cutVoxels: number;
  /** Mean boundary probability over the cut voxels. */
  cutEvidence: number;
  /** min(side)/total: 0.5 = two equal halves. Ranks offers. */
  balance: number;
  /** Per window voxel: 0 elsewhere, 1 = kept side, 2 = cut-off side. */
  sides: Uint8Array;
};

/** 6-connected components of the voxels of `id` below the threshold; returns per-voxel component ids (0 = none). */
function components(
  labels: ArrayLike<number>,
  boundary: ArrayLike<number>,
  dims: Dims,
  id: number,
  threshold: number,
  scale: number,
  voxels: number[],
): { comp: Int32Array; sizes: number[]; seeds: number[] } {
  const { x: sx, y: sy, z: sz } = dims;
  const plane = sx * sy;
  const comp = new Int32Array(sx * sy * sz);
  const sizes: number[] = [0];
  const seeds: number[] = [-1];
  const queue: number[] = [];
  for (const v of voxels) {
    if (comp[v] !== 0 || boundary[v]! * scale >= threshold) continue;
    const c = sizes.length;
    sizes.push(0);
    seeds.push(v);
    comp[v] = c;
    queue.length = 0;
    queue.push(v);
    for (let q = 0; q < queue.length; q++) {
      const i = queue[q]!;
      sizes[c]!++;
      const xi = i % sx;
      const yi = Math.floor(i / sx) % sy;
      const zi = Math.floor(i / plane);
      const nb = [xi > 0 ? i - 1 : -1, xi < sx - 1 ? i + 1 : -1, yi > 0 ? i - sx : -1, yi < sy - 1 ? i + sx : -1, zi > 0 ? i - plane : -1, zi < sz - 1 ? i + plane : -1];
      for (const j of nb) {
        if (j < 0 || comp[j] !== 0 || labels[j] !== id || boundary[j]! * scale >= threshold) continue;
        comp[j] = c;
        queue.push(j);
      }
    }
  }
  return { comp, sizes, seeds };
}

/**
 * A split offer for supervoxel `id`, or null when its inside carries no boundary that cuts it in two
 * large pieces. `keepNear` (other selected supervoxels) picks the side to keep: the one with more
 * contact with them; without any, the larger side.
 */
export function proposeSplit(
  labels: ArrayLike<number>,
  boundary: ArrayLike<number>,
  dims: Dims,
  id: number,
  keepNear: ReadonlySet<number> = new Set(),
  opts: SplitOptions = {},
): SplitProposal | null {
  const n = checkWindow(labels, boundary, dims);
  const threshold = opts.threshold ?? 0.5;
  const scale = opts.boundaryScale ?? 1;
  const { x: sx, y: sy, z: sz } = dims;
  const plane = sx * sy;
  const voxels: number[] = [];
  for (let i = 0; i < n; i++) if (labels[i] === id) voxels.push(i);
  const total = voxels.length;
  if (total === 0) return null;
  const minSide = Math.max(opts.minSideVoxels ?? 150, (opts.minSideFraction ?? 0.15) * total);

  const { comp, sizes, seeds } = components(labels, boundary, dims, id, threshold, scale, voxels);
  const order = sizes.map((s, c) => ({ s, c })).filter((e) => e.c > 0).sort((u, v) => v.s - u.s || u.c - v.c);
  const first = order[0];
  const second = order[1];
  if (!first || !second || second.s < minSide) return null;

  // Grow the two largest pieces over the rest of the supervoxel (cut voxels, small pieces).
  const side = new Uint8Array(n);
  const queue: number[] = [];
  for (const v of voxels) {
    if (comp[v] === first.c) side[v] = 1;
    else if (comp[v] === second.c) side[v] = 2;
    if (side[v]) queue.push(v);
  }
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    const xi = i % sx;
    const yi = Math.floor(i / sx) % sy;
    const zi = Math.floor(i / plane);
    const nb = [xi > 0 ? i - 1 : -1, xi < sx - 1 ? i + 1 : -1, yi > 0 ? i - sx : -1, yi < sy - 1 ? i + sx : -1, zi > 0 ? i - plane : -1, zi < sz - 1 ? i + plane : -1];
    for (const j of nb) {
      if (j < 0 || side[j] !== 0 || labels[j] !== id) continue;
      side[j] = side[i]!;
      queue.push(j);
    }
  }

  // Sizes, contact with the rest of the selection, and the cut's evidence.
  const count = [0, 0, 0];
  const touch = [0, 0, 0];
  let cutVoxels = 0;
  let cutSum = 0;
  for (const i of voxels) {
    const s = side[i]!;
    count[s]!++;
    const b = boundary[i]! * scale;
    if (b >= threshold) {
      cutVoxels++;
      cutSum += b;
    }
    if (keepNear.size === 0 || s === 0) continue;
    const xi = i % sx;
    const yi = Math.floor(i / sx) % sy;
    const zi = Math.floor(i / plane);
    const nb = [xi > 0 ? i - 1 : -1, xi < sx - 1 ? i + 1 : -1, yi > 0 ? i - sx : -1, yi < sy - 1 ? i + sx : -1, zi > 0 ? i - plane : -1, zi < sz - 1 ? i + plane : -1];
    for (const j of nb) if (j >= 0 && labels[j] !== id && keepNear.has(labels[j]!)) touch[s]!++;
  }
  // Unreached voxels (pieces cut off by the window edge) stay with the larger side.
  if (count[0]! > 0) {
    for (const i of voxels) if (side[i] === 0) side[i] = 1;
    count[1]! += count[0]!;
    count[0] = 0;
  }
  let keep = 1;
  if (touch[2]! > touch[1]!) keep = 2;
  else if (touch[2] === touch[1] && count[2]! > count[1]!) keep = 2;
  if (keep === 2) for (const i of voxels) side[i] = side[i] === 1 ? 2 : 1;
  const keepSeed = keep === 1 ? seeds[first.c]! : seeds[second.c]!;
  const dropSeed = keep === 1 ? seeds[second.c]! : seeds[first.c]!;
  const keepVoxels = keep === 1 ? count[1]! : count[2]!;
  const dropVoxels = total - keepVoxels;
  return {
    supervoxel: id,
    keepVoxel: keepSeed,
    dropVoxel: dropSeed,
    keepVoxels,
    dropVoxels,
    cutVoxels,
    cutEvidence: cutVoxels > 0 ? cutSum / cutVoxels : 0,
    balance: Math.min(keepVoxels, dropVoxels) / total,
    sides: side,
  };
}

/** The best split offer among `candidates` (by balance, then cut evidence, then smaller id). */
export function bestSplit(
  labels: ArrayLike<number>,
  boundary: ArrayLike<number>,
  dims: Dims,
  candidates: Iterable<number>,
  selected: ReadonlySet<number>,
  opts: SplitOptions = {},
): SplitProposal | null {
  let best: SplitProposal | null = null;
  for (const id of [...candidates].sort((a, b) => a - b)) {
    const others = new Set([...selected].filter((s) => s !== id));
    const p = proposeSplit(labels, boundary, dims, id, others, opts);
    if (!p) continue;
    if (!best || p.balance > best.balance || (p.balance === best.balance && p.cutEvidence > best.cutEvidence)) best = p;
  }
  return best;
}

/** Window index → voxel coordinates inside the window. */
export function windowCoords(i: number, dims: Dims): { x: number; y: number; z: number } {
  return { x: i % dims.x, y: Math.floor(i / dims.x) % dims.y, z: Math.floor(i / (dims.x * dims.y)) };
}
