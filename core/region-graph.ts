/**
 * Region adjacency graph (RAG) of a label volume with per-edge boundary statistics, and
 * agglomeration of supervoxels along it. Pure, typed arrays. Volumes are z,y,x C order.
 * The serialised form is `graph.json` (docs/model-contract.md).
 */
import type { Vec3 } from "./volume";

export type RegionGraph = {
  /** Largest label id (labels are 1..maxId; 0 is background and has no edges). */
  maxId: number;
  /** 2·E ids, edge k = (a[2k] < a[2k+1]), sorted by (a, b). */
  edges: Uint32Array;
  /** Sum of boundary values (0..255 bytes) over both voxels of every contact face. */
  sums: Float64Array;
  /** Number of contact faces (6-neighbour voxel pairs with the two labels). */
  contacts: Uint32Array;
  /**
   * Per edge, HIST_BINS counts of the contact faces by their mean boundary value (bin = mean byte >> 4),
   * edge k at [k*HIST_BINS, (k+1)*HIST_BINS): for quantile scores.
   */
  hist: Uint32Array;
};

export const HIST_BINS = 16;

/** The q-quantile (0..1) of the boundary probability over edge k's contact, from its histogram (linear inside a bin). */
export function histQuantile(hist: Uint32Array | Float64Array, k: number, total: number, q: number): number {
  const target = q * total;
  let acc = 0;
  const o = k * HIST_BINS;
  for (let b = 0; b < HIST_BINS; b++) {
    const c = hist[o + b]!;
    if (c > 0 && acc + c >= target) return ((b + (target - acc) / c) * 16) / 255;
    acc += c;
  }
  return 1;
}

/** Mean boundary probability (0..1) of edge k: sums / (2·contacts) / 255. */
export function edgeScore(g: RegionGraph, k: number): number {
  return g.sums[k]! / (2 * g.contacts[k]!) / 255;
}

/**
 * The RAG of `labels` (6-neighbourhood; pairs involving 0 are skipped) with, per edge, the contact
 * size and the sum of `boundary` over both voxels of each contact face.
 */
export function buildRegionGraph(labels: Uint32Array, boundary: Uint8Array, shape: Vec3): RegionGraph {
  const { x: sx, y: sy, z: sz } = shape;
  const n = sx * sy * sz;
  if (labels.length !== n || boundary.length !== n) throw new Error(`labels/boundary must have ${n} values`);
  let maxId = 0;
  for (let i = 0; i < n; i++) if (labels[i]! > maxId) maxId = labels[i]!;
  const M = maxId + 1;
  const index = new Map<number, number>();
  let cap = 1024;
  let ea = new Uint32Array(cap);
  let eb = new Uint32Array(cap);
  let sums = new Float64Array(cap);
  let cnt = new Uint32Array(cap);
  let hist = new Uint32Array(cap * HIST_BINS);
  let E = 0;
  let lastKey = -1;
  let lastK = -1;
  const plane = sx * sy;
  const add = (a: number, b: number, v: number) => {
    if (a === 0 || b === 0) return;
    let lo = a;
    let hi = b;
    if (lo > hi) {
      lo = b;
      hi = a;
    }
    const key = lo * M + hi;
    let k: number;
    if (key === lastKey) k = lastK;
    else {
      const found = index.get(key);
      if (found === undefined) {
        if (E === cap) {
          cap *= 2;
          const g32 = (x: Uint32Array) => { const y = new Uint32Array(cap); y.set(x); return y; };
          ea = g32(ea);
          eb = g32(eb);
          cnt = g32(cnt);
          const s2 = new Float64Array(cap);
          s2.set(sums);
          sums = s2;
          const h2 = new Uint32Array(cap * HIST_BINS);
          h2.set(hist);
          hist = h2;
        }
        k = E++;
        ea[k] = lo;
        eb[k] = hi;
        index.set(key, k);
      } else k = found;
      lastKey = key;
      lastK = k;
    }
    sums[k]! += v;
    cnt[k]! += 1;
    hist[k * HIST_BINS + (v >> 5)]!++; // v = sum of two bytes: (v/2) >> 4
  };
  for (let z = 0, i = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      for (let x = 0; x < sx; x++, i++) {
        const l = labels[i]!;
        const bi = boundary[i]!;
        let j: number;
        if (x < sx - 1 && labels[(j = i + 1)] !== l) add(l, labels[j]!, bi + boundary[j]!);
        if (y < sy - 1 && labels[(j = i + sx)] !== l) add(l, labels[j]!, bi + boundary[j]!);
        if (z < sz - 1 && labels[(j = i + plane)] !== l) add(l, labels[j]!, bi + boundary[j]!);
      }
    }
  }
  // sort by (a, b)
  const order = Array.from({ length: E }, (_, k) => k).sort((p, q) => ea[p]! - ea[q]! || eb[p]! - eb[q]!);
  const edges = new Uint32Array(2 * E);
  const s = new Float64Array(E);
  const c = new Uint32Array(E);
  const h = new Uint32Array(E * HIST_BINS);
  order.forEach((k, r) => {
    edges[2 * r] = ea[k]!;
    edges[2 * r + 1] = eb[k]!;
    s[r] = sums[k]!;
    c[r] = cnt[k]!;
    h.set(hist.subarray(k * HIST_BINS, (k + 1) * HIST_BINS), r * HIST_BINS);
  });
  return { maxId, edges, sums: s, contacts: c, hist: h };
}

/** Binary min-heap of (priority, edge, stamp) in typed arrays, for lazy-deletion agglomeration. */
class EdgeHeap {
  pri = new Float64Array(64);
  edge = new Int32Array(64);
  stamp = new Int32Array(64);
  size = 0;
  push(p: number, e: number, s: number): void {
    if (this.size === this.pri.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T, b: T) => { b.set(a); return b; };
      const cap = this.pri.length * 2;
      this.pri = grow(this.pri, new Float64Array(cap));
      this.edge = grow(this.edge, new Int32Array(cap));
      this.stamp = grow(this.stamp, new Int32Array(cap));
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.pri[parent]! <= p) break;
      this.pri[i] = this.pri[parent]!;
      this.edge[i] = this.edge[parent]!;
      this.stamp[i] = this.stamp[parent]!;
      i = parent;
    }
    this.pri[i] = p;
    this.edge[i] = e;
    this.stamp[i] = s;
  }
  /** Pops the top into (topPri, topEdge, topStamp). */
  topPri = 0;
  topEdge = 0;
  topStamp = 0;
  pop(): boolean {
    if (this.size === 0) return false;
    this.topPri = this.pri[0]!;
    this.topEdge = this.edge[0]!;
    this.topStamp = this.stamp[0]!;
    const last = --this.size;
    const p = this.pri[last]!;
    const e = this.edge[last]!;
    const s = this.stamp[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && this.pri[c + 1]! < this.pri[c]!) c++;
      if (this.pri[c]! >= p) break;
      this.pri[i] = this.pri[c]!;
      this.edge[i] = this.edge[c]!;
      this.stamp[i] = this.stamp[c]!;
      i = c;
    }
    this.pri[i] = p;
    this.edge[i] = e;
    this.stamp[i] = s;
    return true;
  }
}

export type AgglomerateOptions = {
  /** Merge while the lowest mean boundary probability (0..1) of an edge is below this. */
  threshold: number;
  /** Voxel count per id (index = id, e.g. `labelSizes`); ids with no voxels map to 0. */
  sizes: Uint32Array | Float64Array;
  /** After threshold merging, supervoxels smaller than this join the neighbour with the lowest score. */
  minSize?: number;
  /**
   * Score of a contact: undefined = its mean boundary probability; a number q in (0, 1) = the
   * q-quantile of the boundary probability over the contact (robust to gaps in a membrane: a
   * contact that is boundary over a third of its area scores high at q = 0.75).
   */
  quantile?: number;
  /**
   * Caution with big regions: when both regions of a contact have at least `largeSize` voxels, they
   * merge only if the score is below `largeThreshold` (< threshold). A wrong merge costs purity in
   * proportion to the smaller region, so two big regions need stronger evidence.
   */
  largeSize?: number;
  largeThreshold?: number;
};

/**
 * Mean-boundary agglomeration (hierarchical, as in GALA's mean-boundary policy): repeatedly merge the
 * pair of regions whose contact has the lowest mean boundary value, recomputing merged contacts'
 * statistics, until the lowest is >= threshold. Then (optionally) regions smaller than `minSize`
 * join their lowest-score neighbour. Returns a map old id → new id, new ids 1..count consecutive in
 * order of their smallest old id; id 0 and ids without voxels (per `sizes`) map to 0.
 */
export function agglomerate(g: RegionGraph, opts: AgglomerateOptions): { map: Uint32Array; count: number } {
  const M = g.maxId + 1;
  const E = g.contacts.length;
  // mutable copies of the edge statistics; edges re-pointed as regions merge
  const ea = new Uint32Array(E);
  const eb = new Uint32Array(E);
  const sums = Float64Array.from(g.sums);
  const cnt = Float64Array.from(g.contacts);
  const hist = opts.quantile === undefined ? null : Float64Array.from(g.hist);
  const q = opts.quantile ?? 0;
  const alive = new Uint8Array(E).fill(1);
  const stamp = new Int32Array(E);
  const adj: Map<number, number>[] = new Array(M);
  const parent = new Uint32Array(M);
  for (let i = 0; i < M; i++) parent[i] = i;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const size = new Float64Array(M);
  for (let i = 0; i < Math.min(M, opts.sizes.length); i++) size[i] = opts.sizes[i]!;
  const heap = new EdgeHeap();
  const score = hist ? (k: number) => histQuantile(hist, k, cnt[k]!, q) : (k: number) => sums[k]! / (2 * cnt[k]!) / 255;
  for (let k = 0; k < E; k++) {
    const a = g.edges[2 * k]!;
    const b = g.edges[2 * k + 1]!;
    ea[k] = a;
    eb[k] = b;
    (adj[a] ??= new Map()).set(b, k);
    (adj[b] ??= new Map()).set(a, k);
    heap.push(score(k), k, 0);
  }

  /** Merge region `b` into `a` (both roots); returns the survivor. */
  const merge = (a: number, b: number, onEdge: (k: number) => void): number => {
    let am = adj[a] ?? (adj[a] = new Map());
    let bm = adj[b] ?? (adj[b] = new Map());
    // keep the region with the larger adjacency as the survivor (fewer moves)
    if (bm.size > am.size) {
      const t = a; a = b; b = t;
      const tm = am; am = bm; bm = tm;
    }
    parent[b] = a;
    size[a]! += size[b]!;
    for (const [c, kb] of bm) {
      const cm = adj[c]!;
      cm.delete(b);
      if (c === a) {
        alive[kb] = 0;
        am.delete(b);
        continue;
      }
      const ka = am.get(c);
      if (ka === undefined) {
        // re-point edge kb from b to a
        if (ea[kb] === b) ea[kb] = a;
        else eb[kb] = a;
        am.set(c, kb);
        cm.set(a, kb);
      } else {
        sums[ka]! += sums[kb]!;
        cnt[ka]! += cnt[kb]!;
        if (hist) for (let b = 0; b < HIST_BINS; b++) hist[ka * HIST_BINS + b]! += hist[kb * HIST_BINS + b]!;
        alive[kb] = 0;
        stamp[ka]!++;
        onEdge(ka);
      }
    }
    bm.clear();
    return a;
  };

  const t = opts.threshold;
  const L = opts.largeSize ?? Infinity;
  const lift = opts.largeThreshold === undefined ? 0 : Math.max(0, t - opts.largeThreshold);
  // priority = score, lifted by (threshold - largeThreshold) for two big regions; sizes only grow,
  // so a popped priority is a lower bound: re-check it and re-queue when it went up
  const priority = (k: number) => {
    const sc = score(k);
    return lift > 0 && size[find(ea[k]!)]! >= L && size[find(eb[k]!)]! >= L ? sc + lift : sc;
  };
  while (heap.pop()) {
    const k = heap.topEdge;
    if (!alive[k] || heap.topStamp !== stamp[k]) continue;
    if (heap.topPri >= t) break;
    if (lift > 0) {
      const pk = priority(k);
      if (pk > heap.topPri) {
        stamp[k]!++;
        heap.push(pk, k, stamp[k]!);
        continue;
      }
    }
    alive[k] = 0;
    merge(find(ea[k]!), find(eb[k]!), (ka) => heap.push(priority(ka), ka, stamp[ka]!));
  }

  if (opts.minSize && opts.minSize > 1) {
    // smallest first; a small region joins its lowest-score neighbour
    const roots: number[] = [];
    for (let i = 1; i < M; i++) if (find(i) === i && size[i]! > 0 && size[i]! < opts.minSize) roots.push(i);
    roots.sort((p, q) => size[p]! - size[q]!);
    for (const r0 of roots) {
      const r = find(r0);
      if (size[r]! >= opts.minSize) continue;
      const m = adj[r];
      if (!m || m.size === 0) continue;
      let bestK = -1;
      let bestS = Infinity;
      for (const kk of m.values()) {
        const s = score(kk);
        if (s < bestS) { bestS = s; bestK = kk; }
      }
      alive[bestK] = 0;
      merge(find(ea[bestK]!), find(eb[bestK]!), () => {});
    }
  }

  const map = new Uint32Array(M);
  const newId = new Uint32Array(M);
  let count = 0;
  for (let i = 1; i < M; i++) {
    if (!((opts.sizes[i] ?? 0) > 0)) continue;
    const r = find(i);
    if (newId[r] === 0) newId[r] = ++count;
    map[i] = newId[r]!;
  }
  return { map, count };
}

/** labels[i] = map[labels[i]] in place (or into `out`). */
export function relabel(labels: Uint32Array, map: Uint32Array, out: Uint32Array = labels): Uint32Array {
  for (let i = 0; i < labels.length; i++) out[i] = map[labels[i]!] ?? 0;
  return out;
}

/** Voxel count per id (index = id), ids up to maxId. */
export function labelSizes(labels: Uint32Array, maxId?: number): Uint32Array {
  let m = maxId ?? 0;
  if (maxId === undefined) for (let i = 0; i < labels.length; i++) if (labels[i]! > m) m = labels[i]!;
  const s = new Uint32Array(m + 1);
  for (let i = 0; i < labels.length; i++) s[labels[i]!]!++;
  return s;
}

/** The JSON form stored as `<store>/<slug>/graph.json` (docs/model-contract.md). */
export type RegionGraphJson = {
  version: 1;
  score: "mean-boundary-probability";
  supervoxels: number;
  edges: number[];
  scores: number[];
  contacts: number[];
};

export function regionGraphToJson(g: RegionGraph): RegionGraphJson {
  const E = g.contacts.length;
  const scores = new Array<number>(E);
  for (let k = 0; k < E; k++) scores[k] = Math.round(edgeScore(g, k) * 1e4) / 1e4;
  return {
    version: 1,
    score: "mean-boundary-probability",
    supervoxels: g.maxId,
    edges: Array.from(g.edges),
    scores,
    contacts: Array.from(g.contacts),
  };
}
