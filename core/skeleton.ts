// Skeletonization of a binary mask, TEASAR-style: Sato, Bitter, Kaufman & Wan, "TEASAR:
// tree-structure extraction algorithm for accurate and robust skeletons", Pacific Graphics 2000.
//
//  1. Pieces: the mask's rows are cut into runs of set voxels and runs touching across neighbouring
//     rows are joined (union-find), giving the 26-connected pieces; each becomes its own tree.
//  2. Each piece is traced on a grid of its own: its bounding box plus one voxel of padding. A piece
//     of more than `coarseAbove` voxels is traced on a grid pooled 2× along each axis whose edge is
//     under 1.5× the finest (a coarse voxel is set when any of its fine voxels is), as Kimimaro
//     does with mip levels: an eighth of the voxels to search. Pooling by OR preserves
//     26-connectivity, and pieces are pooled separately, so they never merge.
//  3. DBF on that grid: exact Euclidean distance to the boundary in nm (core/distance-transform.ts),
//     so anisotropic voxels (4×4×40 nm) are measured as they are. On a pooled grid less half a fine
//     voxel, what the OR pooling adds on average.
//  4. Root: the given one when it lies in the piece, else the voxel farthest (in 26-neighbour hops)
//     from the piece's most central voxel: an end of the neurite.
//  5. Dijkstra from the root with step cost length × penalty, penalty = 1 + 5000·(1 − DBF/maxDBF)^16
//     (Sato's penalised distance from root field): shortest paths hug the medial axis. Along the way
//     each voxel's path length (nm along its shortest path) is kept.
//  6. Repeatedly take the not-yet-covered voxel with the longest path, walk its predecessors back to
//     the tree built so far (a new branch), and cover ("invalidate") a tube around the branch: every
//     voxel within geodesic distance scale·DBF + constant of a branch voxel. Until nothing is left.
//     A branch shorter than its junction's radius + `spur` is a bump on the surface, not a neurite:
//     its voxels are covered but it is not added (prune). On a pooled grid the allowance is a fine
//     voxel shorter: lengths there run between block centres and fall that much short at the tip.
//  7. The voxel tree becomes nodes: root, branch points, ends, and one node per `step` voxels of
//     length along the branches; nodes are listed parents first (depth-first from the root).
// Radius of a node = its DBF minus half the finest voxel edge (the surface lies between voxel
// centres), in nm, and in voxels of the mean x/y edge (what SWC writers scale back).
// From a pooled grid a node goes back to full resolution: onto the set fine voxel of its block
// nearest the block's centre (or the given root), then, inside a branch, up to 3 voxels uphill on
// the fine DBF (onto the fine medial axis). That DBF is measured exactly at the node, from the
// mask's runs, so radii are full-resolution ones; no full-resolution transform is needed.
//
// Both graph searches use bucket queues whose buckets are as wide as the shortest possible step
// (every step costs at least its length): whatever is in the lowest bucket is final, so they are
// exact and push/pop in constant time. Ties in Dijkstra go to the predecessor nearer the root, so
// the tree does not depend on the order within a bucket. Hot loops run over typed arrays indexed
// by compact voxel ids.
import { squaredDistanceTransform } from "./distance-transform";
import type { Vec3 } from "./volume";

export type SkeletonNode = {
  /** Voxel coordinates of the full volume (voxel centres on the medial path, smoothed along chains). */
  x: number;
  y: number;
  z: number;
  /** Radius in voxels of the mean x/y voxel edge (radiusNm / ((vx + vy) / 2)). */
  radius: number;
  /** Radius in nm (voxel units when no voxelSize was given). */
  radiusNm?: number;
  /** Index into nodes, or -1 for a root. Always smaller than the node's own index. */
  parent: number;
};

export type Skeleton = { nodes: SkeletonNode[] };

export type SkeletonOptions = {
  /** Root voxel; snapped to the nearest mask voxel if outside the mask. Its tree comes first. */
  root?: Vec3;
  /** nm per voxel (default 1,1,1). */
  voxelSize?: Vec3;
  /** Node spacing along branches, in voxels of the finest edge (default 4). */
  step?: number;
  /** Tube radius = scale·DBF + constant (Sato's invalidation). Default scale 1.5. */
  scale?: number;
  /** In voxels of the finest edge; default 4. */
  constant?: number;
  /** Drop branches shorter than their junction's radius + spur (default true, spur 2 voxels). */
  prune?: boolean;
  spur?: number;
  /**
   * Pieces with more voxels than this are traced on a grid pooled 2× along each axis whose edge is
   * under 1.5× the finest (default 250000; Infinity: always full resolution).
   */
  coarseAbove?: number;
};

// ----------------------------------------------------------------------------- a bucket queue

/**
 * Monotone min-queue of (key, voxel) entries without decrease-key: a better key is a new entry and
 * the caller skips stale ones. Buckets are `width` wide and used circularly, so keys in the queue
 * must lie within `span` of the last popped one. When no push lands less than `width` above the
 * key just popped (true when every step costs at least `width`), the lowest bucket holds only
 * final keys and may be popped in any order. A bitmap of non-empty buckets lets pop skip empty
 * ones 32 at a time. Entries live in growable typed arrays, reused from the start of each search.
 */
class BucketQueue {
  vals: Int32Array;
  keys: Float64Array;
  private next: Int32Array;
  private readonly head: Int32Array;
  private readonly bits: Int32Array;
  private readonly nb: number;
  private readonly inv: number;
  private pos = 0;
  private used = 0;
  size = 0;
  constructor(width: number, span: number, capacity: number) {
    this.vals = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.next = new Int32Array(capacity);
    this.nb = Math.ceil(span / width) + 2;
    this.inv = 1 / width;
    this.head = new Int32Array(this.nb).fill(-1);
    this.bits = new Int32Array((this.nb + 31) >> 5);
  }
  /** Start a search on the empty queue: no key to come is below k. */
  start(k: number) {
    this.pos = this.bucket(k);
    this.used = 0;
  }
  private bucket(k: number): number {
    const b = Math.floor(k * this.inv);
    return b < 2147483648 ? (b | 0) % this.nb : b % this.nb;
  }
  push(v: number, k: number) {
    if (this.used === this.vals.length) {
      const n = this.used * 2;
      const vals = new Int32Array(n);
      vals.set(this.vals);
      this.vals = vals;
      const keys = new Float64Array(n);
      keys.set(this.keys);
      this.keys = keys;
      const next = new Int32Array(n);
      next.set(this.next);
      this.next = next;
    }
    const e = this.used++;
    this.vals[e] = v;
    this.keys[e] = k;
    const b = this.bucket(k);
    const h = this.head[b]!;
    this.next[e] = h;
    if (h < 0) this.bits[b >> 5]! |= 1 << (b & 31);
    this.head[b] = e;
    this.size++;
  }
  /** Removes an entry of the lowest key and returns its index into vals and keys. */
  pop(): number {
    const bits = this.bits;
    let wi = this.pos >> 5;
    let m = bits[wi]! & (-1 << (this.pos & 31));
    while (m === 0) {
      wi = wi + 1 === bits.length ? 0 : wi + 1;
      m = bits[wi]!;
    }
    const b = (wi << 5) + 31 - Math.clz32(m & -m);
    this.pos = b;
    const e = this.head[b]!;
    const n = this.next[e]!;
    this.head[b] = n;
    if (n < 0) bits[wi]! &= ~(1 << (b & 31));
    this.size--;
    return e;
  }
}

// ----------------------------------------------------------------------------- pieces

/** Runs of set voxels along x, in scan order (z, then y, then x), and their pieces. */
type Runs = { row: Int32Array; x0: Int32Array; x1: Int32Array; n: number };

function findRuns(mask: Uint8Array, sx: number, rows: number): Runs {
  let cap = 1024;
  let row = new Int32Array(cap);
  let x0 = new Int32Array(cap);
  let x1 = new Int32Array(cap);
  let n = 0;
  // Mostly empty: skip four zero bytes at a time where the mask's buffer allows a 32-bit view.
  const words = mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null;
  for (let r = 0, i = 0; r < rows; r++, i += sx) {
    for (let x = 0; x < sx; x++) {
      if (words !== null && ((i + x) & 3) === 0 && x + 4 <= sx && words[(i + x) >> 2] === 0) {
        x += 3;
        continue;
      }
      if (mask[i + x] === 0) continue;
      const s = x;
      while (x + 1 < sx && mask[i + x + 1] !== 0) x++;
      if (n === cap) {
        cap *= 2;
        const grow = (a: Int32Array) => {
          const b = new Int32Array(cap);
          b.set(a);
          return b;
        };
        row = grow(row);
        x0 = grow(x0);
        x1 = grow(x1);
      }
      row[n] = r;
      x0[n] = s;
      x1[n++] = x;
    }
  }
  return { row, x0, x1, n };
}

/** Piece of each run (numbered in scan order of their first run): union-find over touching runs. */
function labelRuns(runs: Runs, sy: number, rows: number): { piece: Int32Array; count: number; first: Int32Array } {
  const { row, x0, x1, n } = runs;
  const first = new Int32Array(rows + 1); // runs of row r: first[r] .. first[r + 1] - 1
  for (let j = 0; j < n; j++) first[row[j]! + 1]!++;
  for (let r = 0; r < rows; r++) first[r + 1]! += first[r]!;
  const up = new Int32Array(n);
  for (let j = 0; j < n; j++) up[j] = j;
  const find = (a: number) => {
    while (up[a] !== a) a = up[a] = up[up[a]!]!;
    return a;
  };
  for (let j = 0; j < n; j++) {
    const r = row[j]!;
    const y = r % sy;
    const a = x0[j]! - 1;
    const b = x1[j]! + 1;
    // Rows already scanned that can touch this one: y-1 in this slice, y-1..y+1 in the one below.
    for (let t = 0; t < 4; t++) {
      const dy = t === 0 ? -1 : t - 2;
      const rr = t === 0 ? r - 1 : r - sy + dy;
      if (rr < 0 || y + dy < 0 || y + dy >= sy) continue;
      for (let k = first[rr]!, e = first[rr + 1]!; k < e && x0[k]! <= b; k++) {
        if (x1[k]! < a) continue;
        const p = find(j);
        const q = find(k);
        if (p !== q) up[p > q ? p : q] = p > q ? q : p;
      }
    }
  }
  const piece = new Int32Array(n);
  let count = 0;
  for (let j = 0; j < n; j++) {
    const p = find(j);
    piece[j] = p === j ? count++ : piece[p]!;
  }
  return { piece, count, first };
}

// ----------------------------------------------------------------------------- the grid

/** One piece on its (possibly pooled) padded grid, with compact ids for its voxels. */
type Grid = {
  /** crop index → compact id, or -1 outside the piece. */
  id: Int32Array;
  /** compact id → crop index. */
  vox: Int32Array;
  /** DBF (nm) per compact id. */
  dbf: Float32Array;
  /** 26 neighbour offsets in the crop and their lengths (nm). */
  off: Int32Array;
  len: Float64Array;
  n: number;
  cx: number;
  cy: number;
  /** Fine voxel at the start of grid voxel (1, 1, 1), the pooling factors, the grid's voxel size. */
  base: Vec3;
  f: Vec3;
  gvs: Vec3;
};

function neighbours(cx: number, cy: number, vs: Vec3): { off: Int32Array; len: Float64Array } {
  const off = new Int32Array(26);
  const len = new Float64Array(26);
  let k = 0;
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0 && dz === 0) continue;
        off[k] = (dz * cy + dy) * cx + dx;
        len[k] = Math.hypot(dx * vs.x, dy * vs.y, dz * vs.z);
        k++;
      }
  return { off, len };
}

/** The grid of the runs in `list` (a piece), pooled by f. */
function buildGrid(runs: Runs, list: Int32Array, sy: number, f: Vec3, vs: Vec3): Grid {
  let bx0 = Infinity, by0 = Infinity, bz0 = Infinity, bx1 = -1, by1 = -1, bz1 = -1;
  for (const j of list) {
    const r = runs.row[j]!;
    const y = r % sy;
    const z = (r - y) / sy;
    bx0 = Math.min(bx0, runs.x0[j]!);
    bx1 = Math.max(bx1, runs.x1[j]!);
    by0 = Math.min(by0, y);
    by1 = Math.max(by1, y);
    bz0 = Math.min(bz0, z);
    bz1 = Math.max(bz1, z);
  }
  const cx = Math.floor((bx1 - bx0) / f.x) + 3;
  const cy = Math.floor((by1 - by0) / f.y) + 3;
  const cz = Math.floor((bz1 - bz0) / f.z) + 3;
  const crop = new Uint8Array(cx * cy * cz);
  let n = 0;
  for (const j of list) {
    const r = runs.row[j]!;
    const y = r % sy;
    const z = (r - y) / sy;
    const o = ((Math.floor((z - bz0) / f.z) + 1) * cy + Math.floor((y - by0) / f.y) + 1) * cx + 1;
    const e = o + Math.floor((runs.x1[j]! - bx0) / f.x);
    for (let i = o + Math.floor((runs.x0[j]! - bx0) / f.x); i <= e; i++)
      if (crop[i] === 0) {
        crop[i] = 1;
        n++;
      }
  }
  const gvs = { x: vs.x * f.x, y: vs.y * f.y, z: vs.z * f.z };
  const vox = new Int32Array(n);
  const dbf = new Float32Array(n);
  const id = new Int32Array(crop.length).fill(-1);
  const sq = squaredDistanceTransform(crop, { x: cx, y: cy, z: cz }, gvs);
  // Pooling by OR grows the mask by about half a fine voxel: take that off the DBF again.
  const shrink = f.x * f.y * f.z > 1 ? Math.min(vs.x, vs.y, vs.z) / 2 : 0;
  for (let i = 0, m = 0; i < crop.length; i++)
    if (crop[i]) {
      vox[m] = i;
      id[i] = m;
      dbf[m++] = Math.sqrt(sq[i]!) - shrink;
    }
  const { off, len } = neighbours(cx, cy, gvs);
  return { id, vox, dbf, off, len, n, cx, cy, base: { x: bx0, y: by0, z: bz0 }, f, gvs };
}

// ----------------------------------------------------------------------------- graph searches

/**
 * Dijkstra over the grid from `source`; step cost = length × cost[v], at least `q`'s bucket width.
 * Leaves each voxel's predecessor in `pred` and its plain length (nm) along its shortest path in
 * `pathLen`; `reached` gets the voxels in the order they were settled, the count is returned.
 */
function dijkstra(g: Grid, source: number, cost: Float32Array, q: BucketQueue, dist: Float64Array, pred: Int32Array, pathLen: Float32Array, reached: Int32Array): number {
  const { id, vox, off, len } = g;
  dist.fill(Infinity);
  dist[source] = 0;
  pred[source] = -1;
  pathLen[source] = 0;
  q.start(0);
  q.push(source, 0);
  let count = 0;
  while (q.size > 0) {
    const e = q.pop();
    const u = q.vals[e]!;
    const d = q.keys[e]!;
    if (d !== dist[u]) continue; // superseded by a better entry
    reached[count++] = u;
    const ci = vox[u]!;
    const pu = pathLen[u]!;
    for (let k = 0; k < 26; k++) {
      const v = id[ci + off[k]!]!;
      if (v < 0) continue;
      // A settled voxel never passes: its distance is at most d < nd.
      const l = len[k]!;
      const nd = d + l * cost[v]!;
      const dv = dist[v]!;
      if (nd < dv) {
        dist[v] = nd;
        pred[v] = u;
        pathLen[v] = pu + l;
        q.push(v, nd);
      } else if (nd === dv && d < dist[pred[v]!]!) {
        // On a tie, the predecessor nearer the root: independent of the order within a bucket.
        pred[v] = u;
        pathLen[v] = pu + l;
      }
    }
  }
  return count;
}

/**
 * Cover the tube around `path`: every voxel whose geodesic distance to some path voxel p is at
 * most budget(p) = scale·DBF(p) + constant. A max-budget search (key = top − budget).
 * `best` persists across calls (-1 at first): a voxel that already spread a budget at least as
 * large covers a superset of what it would cover now, so it is not expanded again. That keeps the
 * total work near the piece's volume instead of one tube volume per branch. `owner` records the
 * path voxel whose tube reached each voxel, `ownerDist` how far (nm, geodesic) it is from it.
 */
function coverTube(g: Grid, path: Int32Array, n: number, scale: number, constant: number, top: number, covered: Uint8Array, best: Float64Array, owner: Int32Array, ownerDist: Float32Array, q: BucketQueue): void {
  const { id, vox, dbf, off, len } = g;
  q.start(0);
  for (let i = 0; i < n; i++) {
    const p = path[i]!;
    const b = scale * dbf[p]! + constant;
    if (b > best[p]!) {
      best[p] = b;
      owner[p] = p;
      ownerDist[p] = 0;
      q.push(p, top - b);
    }
  }
  while (q.size > 0) {
    const e = q.pop();
    const u = q.vals[e]!;
    const b = best[u]!;
    if (q.keys[e] !== top - b) continue; // superseded by a larger budget
    covered[u] = 1;
    const ci = vox[u]!;
    for (let k = 0; k < 26; k++) {
      const v = id[ci + off[k]!]!;
      if (v < 0) continue;
      const nb = b - len[k]!;
      if (nb >= 0 && nb > best[v]!) {
        best[v] = nb;
        owner[v] = owner[u]!;
        ownerDist[v] = ownerDist[u]! + len[k]!;
        q.push(v, top - nb);
      }
    }
  }
}

/** TEASAR on one piece: the voxel tree (inTree: parent voxel, -1 root, -2 not in it). */
function trace(g: Grid, givenRoot: number, scale: number, constant: number, prune: boolean, spur: number): { root: number; reached: Int32Array; inTree: Int32Array } {
  const { id, vox, dbf, off, len, n, cx, cy, gvs } = g;
  let maxDbf = 0;
  let central = 0;
  for (let m = 0; m < n; m++)
    if (dbf[m]! > maxDbf) {
      maxDbf = dbf[m]!;
      central = m;
    }
  const reached = new Int32Array(n);
  const done = new Uint8Array(n);
  let root = givenRoot;
  if (root < 0) {
    // An end of the piece: farthest (26-neighbour hops) from its most central voxel. Only the
    // choice of the end depends on it, and a BFS costs a fraction of a Dijkstra.
    let head = 0;
    let tail = 0;
    reached[tail++] = central;
    done[central] = 1;
    while (head < tail) {
      const u = reached[head++]!;
      const ci = vox[u]!;
      for (let k = 0; k < 26; k++) {
        const w = id[ci + off[k]!]!;
        if (w >= 0 && done[w] === 0) {
          done[w] = 1;
          reached[tail++] = w;
        }
      }
    }
    root = reached[tail - 1]!;
  }
  // Sato's penalty: steps near the boundary cost up to 5001 times more than on the medial axis.
  const cost = new Float32Array(n);
  for (let m = 0; m < n; m++) {
    const a = 1 - dbf[m]! / maxDbf;
    const a2 = a * a;
    const a4 = a2 * a2;
    const a8 = a4 * a4;
    cost[m] = 1 + 5000 * a8 * a8;
  }
  let minLen = Infinity;
  let maxLen = 0;
  for (const l of len) {
    minLen = Math.min(minLen, l);
    maxLen = Math.max(maxLen, l);
  }
  const top = scale * maxDbf + constant;
  // Buckets a little narrower than the shortest step, so that rounding never lands a push in the
  // bucket being emptied.
  const q = new BucketQueue(0.999 * minLen, Math.max(maxLen * 5001, top), 2 * n + 1024);
  const pred = new Int32Array(n);
  const pathLen = new Float32Array(n);
  dijkstra(g, root, cost, q, new Float64Array(n), pred, pathLen, reached);
  // Targets by path length, longest first: a counting sort on lengths quantised to 1/64 of the
  // shortest step, ties in settling order (the order of `reached`).
  const ql = 64 / minLen;
  const qlen = new Int32Array(n);
  let maxQ = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.round(pathLen[reached[i]!]! * ql);
    qlen[i] = k;
    if (k > maxQ) maxQ = k;
  }
  const slot = new Int32Array(maxQ + 2);
  for (let i = 0; i < n; i++) slot[qlen[i]! + 1]!++;
  for (let k = 0; k <= maxQ; k++) slot[k + 1]! += slot[k]!;
  const byLength = new Int32Array(n);
  for (let i = 0; i < n; i++) byLength[slot[qlen[i]!]!++] = reached[i]!;

  const covered = new Uint8Array(n);
  const inTree = new Int32Array(n).fill(-2);
  const best = new Float64Array(n).fill(-1);
  const owner = new Int32Array(n).fill(-1);
  const ownerDist = new Float32Array(n);
  const path = new Int32Array(n);
  inTree[root] = -1;
  path[0] = root;
  coverTube(g, path, 1, scale, constant, top, covered, best, owner, ownerDist, q);
  for (let t = n - 1; t >= 0; t--) {
    const target = byLength[t]!;
    if (covered[target]) continue;
    let k = 0;
    let u = target;
    // Walk back along the shortest-path tree until reaching the skeleton: a voxel in it, next
    // to it, or inside the inscribed ball of a skeleton voxel (within its radius of it). Shortest
    // paths of near-equal cost run side by side through thick neurites; this merges them where
    // the branch enters the trunk, as TEASAR's branches do.
    let junction = -1;
    while (junction < 0) {
      if (inTree[u] !== -2) {
        junction = u;
        break;
      }
      const o = owner[u]!;
      if (k > 0 && o >= 0 && inTree[o] !== -2 && ownerDist[u]! <= dbf[o]!) {
        junction = o;
        break;
      }
      path[k++] = u;
      const ci = vox[u]!;
      for (let j = 0; j < 26; j++) {
        const w = id[ci + off[j]!]!;
        if (w >= 0 && inTree[w] !== -2) {
          junction = w;
          break;
        }
      }
      u = pred[u]!;
    }
    // Length of the new branch: along the walked path, plus the step onto the skeleton.
    const last = path[k - 1]!;
    const a = vox[last]!;
    const b = vox[junction]!;
    const length =
      pathLen[target]! - pathLen[last]! +
      Math.hypot(((a % cx) - (b % cx)) * gvs.x, ((Math.floor(a / cx) % cy) - (Math.floor(b / cx) % cy)) * gvs.y, (Math.floor(a / (cx * cy)) - Math.floor(b / (cx * cy))) * gvs.z);
    if (!prune || length > scale * dbf[junction]! + constant + spur) {
      for (let i = 0; i < k; i++) inTree[path[i]!] = i + 1 < k ? path[i + 1]! : junction;
    }
    coverTube(g, path, k, scale, constant, top, covered, best, owner, ownerDist, q);
  }
  return { root, reached, inTree };
}

/**
 * Squared distances (nm²) from fine voxel p and its 26 neighbours to the nearest voxel outside the
 * mask (outside the volume counts), into out[(dz + 1)·9 + (dy + 1)·3 + dx + 1]. Row by row, nearest
 * rows first: within a row the nearest such voxel is next to the run holding the candidate, so a
 * row costs a look at its few runs, and rows farther than the worst distance so far are cut off.
 * Searches a box holding every voxel within r nm of the 3×3×3 block, r doubling until each
 * candidate has found one within r.
 */
function fineDistances(runs: Runs, first: Int32Array, shape: Vec3, vs: Vec3, px: number, py: number, pz: number, r: number, all: boolean, out: Float64Array): void {
  const { x: sx, y: sy, z: sz } = shape;
  const { x0, x1 } = runs;
  out.fill(Infinity);
  let worst = Infinity;
  for (;;) {
    const hy = Math.floor(r / vs.y) + 1;
    const hz = Math.floor(r / vs.z) + 1;
    for (let az = 0; az <= 2 * hz; az++) {
      const dz = az & 1 ? -((az + 1) >> 1) : az >> 1; // 0, -1, 1, -2, 2, ...
      const lz = (Math.max(0, Math.abs(dz) - (all ? 1 : 0)) * vs.z) ** 2; // the nearest candidate's share
      if (lz >= worst) break;
      const z = pz + dz;
      for (let ay = 0; ay <= 2 * hy; ay++) {
        const dy = ay & 1 ? -((ay + 1) >> 1) : ay >> 1;
        const lyz = lz + (Math.max(0, Math.abs(dy) - (all ? 1 : 0)) * vs.y) ** 2;
        if (lyz >= worst) break;
        const y = py + dy;
        const inside = z >= 0 && z < sz && y >= 0 && y < sy;
        const rr = z * sy + y;
        const y0 = ((dy + 1) * vs.y) ** 2;
        const y1 = (dy * vs.y) ** 2;
        const y2 = ((dy - 1) * vs.y) ** 2;
        const z0 = ((dz + 1) * vs.z) ** 2;
        const z1 = (dz * vs.z) ** 2;
        const z2 = ((dz - 1) * vs.z) ** 2;
        // First run that does not end before the leftmost candidate (runs are sorted along x).
        let k = inside ? first[rr]! : 0;
        const e = inside ? first[rr + 1]! : 0;
        while (k < e && x1[k]! < px - 1) k++;
        for (let ex = all ? -1 : 0; ex <= (all ? 1 : 0); ex++) {
          const x = px + ex;
          while (k < e && x1[k]! < x) k++;
          // Voxels from x to the nearest unset one in this row (0: x itself is unset).
          const gap = k < e && x0[k]! <= x && x >= 0 && x < sx ? Math.min(x - x0[k]! + 1, x1[k]! + 1 - x) : 0;
          const dx2 = (gap * vs.x) ** 2;
          const c = (ex + 1) | 0;
          if (!all) {
            if (dx2 + y1 + z1 < out[13]!) out[13] = dx2 + y1 + z1;
            continue;
          }
          const a0 = dx2 + z0;
          const a1 = dx2 + z1;
          const a2 = dx2 + z2;
          if (a0 + y0 < out[c]!) out[c] = a0 + y0;
          if (a0 + y1 < out[c + 3]!) out[c + 3] = a0 + y1;
          if (a0 + y2 < out[c + 6]!) out[c + 6] = a0 + y2;
          if (a1 + y0 < out[c + 9]!) out[c + 9] = a1 + y0;
          if (a1 + y1 < out[c + 12]!) out[c + 12] = a1 + y1;
          if (a1 + y2 < out[c + 15]!) out[c + 15] = a1 + y2;
          if (a2 + y0 < out[c + 18]!) out[c + 18] = a2 + y0;
          if (a2 + y1 < out[c + 21]!) out[c + 21] = a2 + y1;
          if (a2 + y2 < out[c + 24]!) out[c + 24] = a2 + y2;
        }
        worst = out[13]!;
        if (all) for (let k = 0; k < 27; k++) if (out[k]! > worst) worst = out[k]!;
      }
    }
    if (worst <= r * r) return;
    r *= 2;
  }
}

// ----------------------------------------------------------------------------- skeletonize

export function skeletonize(mask: Uint8Array, shape: Vec3, opts: SkeletonOptions = {}): Skeleton {
  const sx = shape.x;
  const sy = shape.y;
  const sz = shape.z;
  if (mask.length !== sx * sy * sz) throw new Error(`mask has ${mask.length} values, shape needs ${sx * sy * sz}`);
  const vs = opts.voxelSize ?? { x: 1, y: 1, z: 1 };
  if (!(vs.x > 0 && vs.y > 0 && vs.z > 0)) throw new Error("voxel size must be positive");
  const unit = Math.min(vs.x, vs.y, vs.z);
  const radiusUnit = (vs.x + vs.y) / 2;
  const step = Math.max(1, opts.step ?? 4) * unit;
  const scale = opts.scale ?? 1.5;
  const constant = (opts.constant ?? 4) * unit;
  const prune = opts.prune ?? true;
  const spur = (opts.spur ?? 2) * unit;
  const coarseAbove = opts.coarseAbove ?? 250_000;
  const pooled = { x: vs.x < 1.5 * unit ? 2 : 1, y: vs.y < 1.5 * unit ? 2 : 1, z: vs.z < 1.5 * unit ? 2 : 1 };

  const runs = findRuns(mask, sx, sy * sz);
  if (runs.n === 0) return { nodes: [] };
  const { piece, count, first } = labelRuns(runs, sy, sy * sz);
  // Runs grouped by piece, in scan order within each.
  const pieceStart = new Int32Array(count + 1);
  const pieceSize = new Float64Array(count);
  for (let j = 0; j < runs.n; j++) {
    pieceStart[piece[j]! + 1]!++;
    pieceSize[piece[j]!]! += runs.x1[j]! - runs.x0[j]! + 1;
  }
  for (let p = 0; p < count; p++) pieceStart[p + 1]! += pieceStart[p]!;
  const pieceRuns = new Int32Array(runs.n);
  {
    const fill = pieceStart.slice(0, count);
    for (let j = 0; j < runs.n; j++) pieceRuns[fill[piece[j]!]!++] = j;
  }

  // The given root, snapped to the nearest mask voxel (physical distance; first in scan order).
  let rootVox: Vec3 | null = null;
  let rootPiece = -1;
  if (opts.root) {
    const r = opts.root;
    let best = Infinity;
    for (let j = 0; j < runs.n; j++) {
      const y = runs.row[j]! % sy;
      const z = (runs.row[j]! - y) / sy;
      const x = Math.min(Math.max(Math.ceil(r.x - 0.5), runs.x0[j]!), runs.x1[j]!);
      const d = ((x - r.x) * vs.x) ** 2 + ((y - r.y) * vs.y) ** 2 + ((z - r.z) * vs.z) ** 2;
      if (d < best) {
        best = d;
        rootVox = { x, y, z };
        rootPiece = piece[j]!;
      }
    }
  }
  const order = Array.from({ length: count }, (_, p) => p);
  order.sort((a, b) => (a === rootPiece ? -1 : b === rootPiece ? 1 : pieceSize[b]! - pieceSize[a]! || a - b));

  const nodes: SkeletonNode[] = [];
  for (const p of order) {
    const f = pieceSize[p]! > coarseAbove ? pooled : { x: 1, y: 1, z: 1 };
    const coarse = f.x * f.y * f.z > 1;
    const g = buildGrid(runs, pieceRuns.subarray(pieceStart[p]!, pieceStart[p + 1]!), sy, f, vs);
    const { vox, dbf, cx, cy, base, gvs } = g;
    const blockDiag = Math.hypot(gvs.x, gvs.y, gvs.z);
    const gridOf = (ci: number) => ({ x: ci % cx, y: Math.floor(ci / cx) % cy, z: Math.floor(ci / (cx * cy)) });
    let givenRoot = -1;
    if (p === rootPiece) {
      const r = rootVox!;
      const ci = ((Math.floor((r.z - base.z) / f.z) + 1) * cy + Math.floor((r.y - base.y) / f.y) + 1) * cx + Math.floor((r.x - base.x) / f.x) + 1;
      givenRoot = g.id[ci]!;
    }
    // On a pooled grid a branch runs between block centres, so its measured length falls about a
    // fine voxel short of the fine tip: the spur allowance is that much shorter to compensate.
    const { root, reached, inTree } = trace(g, givenRoot, scale, constant, prune, coarse ? spur - unit : spur);

    /**
     * Position and radius of a node. On a coarse grid: start from the block's set voxel nearest the
     * given root or the block's centre; a node inside a branch (not a root or an end) then climbs
     * the full-resolution DBF for up to 3 voxels, back onto the fine medial axis.
     */
    const out = new Float64Array(27);
    const place = (m: number, climb: boolean): { x: number; y: number; z: number; rnm: number } => {
      const c = gridOf(vox[m]!);
      const x0 = base.x + (c.x - 1) * f.x;
      const y0 = base.y + (c.y - 1) * f.y;
      const z0 = base.z + (c.z - 1) * f.z;
      if (!coarse) return { x: x0, y: y0, z: z0, rnm: Math.max(dbf[m]! - unit / 2, unit / 2) };
      const t = m === root && rootVox && p === rootPiece ? rootVox : { x: x0 + (f.x - 1) / 2, y: y0 + (f.y - 1) / 2, z: z0 + (f.z - 1) / 2 };
      let bx = x0, by = y0, bz = z0;
      let bd = Infinity;
      for (let z = z0; z < Math.min(z0 + f.z, sz); z++)
        for (let y = y0; y < Math.min(y0 + f.y, sy); y++)
          for (let x = x0; x < Math.min(x0 + f.x, sx); x++) {
            if (mask[(z * sy + y) * sx + x] === 0) continue;
            const d = ((x - t.x) * vs.x) ** 2 + ((y - t.y) * vs.y) ** 2 + ((z - t.z) * vs.z) ** 2;
            if (d < bd) {
              bd = d;
              bx = x;
              by = y;
              bz = z;
            }
          }
      let d2 = 0;
      for (let it = 0; it < 3; it++) {
        fineDistances(runs, first, shape, vs, bx, by, bz, dbf[m]! + blockDiag, climb, out);
        let k = 13;
        if (climb) for (let j = 0; j < 27; j++) if (out[j]! > out[k]!) k = j;
        d2 = out[k]!;
        if (k === 13) break;
        bx += (k % 3) - 1;
        by += (Math.floor(k / 3) % 3) - 1;
        bz += Math.floor(k / 9) - 1;
      }
      return { x: bx, y: by, z: bz, rnm: Math.max(Math.sqrt(d2) - unit / 2, unit / 2) };
    };

    // Voxel tree → nodes, depth first from the root (parents before children).
    const children = new Map<number, number[]>();
    for (const m of reached) {
      const par = inTree[m]!;
      if (par >= 0) {
        let list = children.get(par);
        if (!list) children.set(par, (list = []));
        list.push(m);
      }
    }
    const stack: [number, number, number][] = [[root, -1, 0]]; // voxel, parent node, length since it
    while (stack.length) {
      const [m, parentNode, since] = stack.pop()!;
      const kids = children.get(m) ?? [];
      const isNode = parentNode < 0 || kids.length !== 1 || since >= step;
      let nodeIndex = parentNode;
      let acc = since;
      if (isNode) {
        const { x, y, z, rnm } = place(m, parentNode >= 0 && kids.length > 0);
        nodeIndex = nodes.length;
        nodes.push({ x, y, z, radius: rnm / radiusUnit, radiusNm: rnm, parent: parentNode < 0 ? -1 : parentNode });
        acc = 0;
      }
      const a = gridOf(vox[m]!);
      for (const kid of kids) {
        const b = gridOf(vox[kid]!);
        const d = Math.hypot((b.x - a.x) * gvs.x, (b.y - a.y) * gvs.y, (b.z - a.z) * gvs.z);
        stack.push([kid, isNode ? nodeIndex : parentNode, acc + d]);
      }
    }
  }
  smoothChains(nodes, mask, sx, sy);
  return { nodes };
}

/**
 * Two passes of (1, 2, 1)/4 smoothing over nodes in the middle of a chain (one parent, one child):
 * voxel paths zig-zag on the grid, which adds cable length that is not there. Roots, ends and
 * branch points stay put; a node whose smoothed position would leave the mask stays too.
 */
function smoothChains(nodes: SkeletonNode[], mask: Uint8Array, sx: number, sy: number): void {
  const child = new Int32Array(nodes.length).fill(-1);
  const kids = new Uint32Array(nodes.length);
  nodes.forEach((n, i) => {
    if (n.parent >= 0) {
      kids[n.parent]!++;
      child[n.parent] = i;
    }
  });
  for (let pass = 0; pass < 2; pass++) {
    const xs = nodes.map((n) => n.x);
    const ys = nodes.map((n) => n.y);
    const zs = nodes.map((n) => n.z);
    nodes.forEach((n, i) => {
      if (n.parent < 0 || kids[i] !== 1) return;
      const p = n.parent;
      const c = child[i]!;
      const x = (xs[p]! + 2 * xs[i]! + xs[c]!) / 4;
      const y = (ys[p]! + 2 * ys[i]! + ys[c]!) / 4;
      const z = (zs[p]! + 2 * zs[i]! + zs[c]!) / 4;
      if (mask[(Math.round(z) * sy + Math.round(y)) * sx + Math.round(x)] === 0) return;
      n.x = x;
      n.y = y;
      n.z = z;
    });
  }
}
