// Skeletonization of a binary mask, TEASAR-style: Sato, Bitter, Kaufman & Wan, "TEASAR:
// tree-structure extraction algorithm for accurate and robust skeletons", Pacific Graphics 2000.
//
//  1. DBF: exact Euclidean distance to the boundary in nm (core/distance-transform.ts), so
//     anisotropic voxels (4×4×40 nm) are measured as they are.
//  2. Per 26-connected piece of the mask (each piece becomes its own tree): the root is the given
//     one when it lies in that piece, else the voxel farthest (in 26-neighbour hops) from the
//     piece's most central voxel: an end of the neurite.
//  3. Dijkstra from the root over the piece with step cost length × penalty, penalty = 1 +
//     5000·(1 − DBF/maxDBF)^16 (Sato's penalised distance from root field): shortest paths hug the
//     medial axis. Along the way each voxel's path length (nm along its shortest path) is kept.
//  4. Repeatedly take the not-yet-covered voxel with the longest path, walk its predecessors back to
//     the tree built so far (a new branch), and cover ("invalidate") a tube around the branch: every
//     voxel within geodesic distance scale·DBF + constant of a branch voxel. Until nothing is left.
//     A branch shorter than its junction's radius + `spur` is a bump on the surface, not a neurite:
//     its voxels are covered but it is not added (prune).
//  5. The voxel tree becomes nodes: root, branch points, ends, and one node per `step` voxels of
//     length along the branches; nodes are listed parents first (depth-first from the root).
// Radius of a node = its DBF minus half the finest voxel edge (the surface lies between voxel
// centres), in nm, and in voxels of the mean x/y edge (what SWC writers scale back).
//
// Work runs over the mask's bounding box plus one voxel of padding (no bounds checks in the hot
// loops) and over compact per-mask-voxel typed arrays, so memory follows the neuron's size.
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
  /** Tube radius = scale·DBF + constant (Sato's invalidation). Default scale 1. */
  scale?: number;
  /** In voxels of the finest edge; default 2. */
  constant?: number;
  /** Drop branches shorter than their junction's radius + spur (default true, spur 3 voxels). */
  prune?: boolean;
  spur?: number;
};

// ----------------------------------------------------------------------------- a typed min-heap

/** Binary min-heap of (key, value) in growable typed arrays; lazy deletion is the caller's job. */
class Heap {
  keys = new Float64Array(1024);
  vals = new Int32Array(1024);
  size = 0;
  clear() {
    this.size = 0;
  }
  push(key: number, val: number) {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.vals = v;
    }
    const keys = this.keys;
    const vals = this.vals;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      keys[i] = keys[p]!;
      vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }
  /** Removes the minimum; read topKey/topVal before calling. */
  pop() {
    const keys = this.keys;
    const vals = this.vals;
    const n = --this.size;
    if (n === 0) return;
    const key = keys[n]!;
    const val = vals[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && keys[c + 1]! < keys[c]!) c++;
      if (keys[c]! >= key) break;
      keys[i] = keys[c]!;
      vals[i] = vals[c]!;
      i = c;
    }
    keys[i] = key;
    vals[i] = val;
  }
}

// ----------------------------------------------------------------------------- the grid

/** The padded crop and its compact indexing: everything the graph searches need. */
type Grid = {
  /** crop index → compact id, or -1 outside the mask. */
  id: Int32Array;
  /** compact id → crop index. */
  vox: Int32Array;
  /** DBF (nm) per compact id. */
  dbf: Float32Array;
  /** 26 neighbour offsets in the crop and their lengths (nm). */
  off: Int32Array;
  len: Float64Array;
  cx: number;
  cy: number;
  origin: Vec3;
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

// ----------------------------------------------------------------------------- graph searches

/**
 * Min-heap of voxel ids keyed by `key[id]`, with decrease-key (`pos` finds an id in the heap): each
 * voxel enters once, so the heap never outgrows the piece and every voxel is popped once.
 */
class IndexedHeap {
  readonly heap: Int32Array;
  readonly pos: Int32Array;
  readonly key: Float64Array;
  size = 0;
  constructor(n: number) {
    this.heap = new Int32Array(n);
    this.pos = new Int32Array(n).fill(-1);
    this.key = new Float64Array(n);
  }
  /** Insert v with key k, or lower its key to k. */
  update(v: number, k: number) {
    const { heap, pos, key } = this;
    key[v] = k;
    let i = pos[v]!;
    if (i < 0) i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const w = heap[p]!;
      if (key[w]! <= k) break;
      heap[i] = w;
      pos[w] = i;
      i = p;
    }
    heap[i] = v;
    pos[v] = i;
  }
  pop(): number {
    const { heap, pos, key } = this;
    const top = heap[0]!;
    pos[top] = -1;
    const n = --this.size;
    if (n > 0) {
      const v = heap[n]!;
      const k = key[v]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && key[heap[c + 1]!]! < key[heap[c]!]!) c++;
        const w = heap[c]!;
        if (key[w]! >= k) break;
        heap[i] = w;
        pos[w] = i;
        i = c;
      }
      heap[i] = v;
      pos[v] = i;
    }
    return top;
  }
}

/**
 * Dijkstra over one piece from `source`; step cost = length × cost[v] (cost null: plain length).
 * Leaves each voxel's predecessor in `pred` and its plain length (nm) along its shortest path in
 * `pathLen`; `reached` gets the voxels in the order they were settled, the count is returned.
 * `done` must be 0 for the piece's voxels on entry and is 1 for them on return.
 */
function dijkstra(g: Grid, source: number, cost: Float32Array | null, q: IndexedHeap, done: Uint8Array, pred: Int32Array, pathLen: Float32Array, reached: Int32Array): number {
  const { id, vox, off, len } = g;
  const dist = q.key;
  pred[source] = -1;
  pathLen[source] = 0;
  q.update(source, 0);
  let count = 0;
  while (q.size > 0) {
    const u = q.pop();
    done[u] = 1;
    reached[count++] = u;
    const d = dist[u]!;
    const ci = vox[u]!;
    const pu = pathLen[u]!;
    for (let k = 0; k < 26; k++) {
      const v = id[ci + off[k]!]!;
      if (v < 0 || done[v] === 1) continue;
      const l = len[k]!;
      const nd = d + (cost === null ? l : l * cost[v]!);
      if (q.pos[v]! < 0 || nd < dist[v]!) {
        pred[v] = u;
        pathLen[v] = pu + l;
        q.update(v, nd);
      }
    }
  }
  return count;
}

/**
 * Cover the tube around `path`: every voxel whose geodesic distance to some path voxel p is at
 * most budget(p) = scale·DBF(p) + constant. A max-budget search (negated keys in the min-heap).
 * `best` persists across calls (-1 at first): a voxel that already spread a budget at least as
 * large covers a superset of what it would cover now, so it is not expanded again. That keeps the
 * total work near the mask's volume instead of one tube volume per branch. `owner` records the
 * path voxel whose tube reached each voxel, `ownerDist` how far (nm, geodesic) it is from it.
 */
function coverTube(g: Grid, path: Int32Array, n: number, scale: number, constant: number, covered: Uint8Array, best: Float64Array, owner: Int32Array, ownerDist: Float32Array, heap: Heap): void {
  const { id, vox, dbf, off, len } = g;
  heap.clear();
  for (let i = 0; i < n; i++) {
    const p = path[i]!;
    const b = scale * dbf[p]! + constant;
    if (b > best[p]!) {
      best[p] = b;
      owner[p] = p;
      ownerDist[p] = 0;
      heap.push(-b, p);
    }
  }
  while (heap.size > 0) {
    const b = -heap.keys[0]!;
    const u = heap.vals[0]!;
    heap.pop();
    if (b < best[u]!) continue;
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
        heap.push(-nb, v);
      }
    }
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

  // Bounding box.
  let bx0 = sx, by0 = sy, bz0 = sz, bx1 = -1, by1 = -1, bz1 = -1;
  let count = 0;
  for (let z = 0, i = 0; z < sz; z++)
    for (let y = 0; y < sy; y++)
      for (let x = 0; x < sx; x++, i++)
        if (mask[i] !== 0) {
          count++;
          if (x < bx0) bx0 = x;
          if (x > bx1) bx1 = x;
          if (y < by0) by0 = y;
          if (y > by1) by1 = y;
          if (z < bz0) bz0 = z;
          if (z > bz1) bz1 = z;
        }
  if (count === 0) return { nodes: [] };

  // Padded crop: one background voxel on every side.
  const cx = bx1 - bx0 + 3;
  const cy = by1 - by0 + 3;
  const cz = bz1 - bz0 + 3;
  const origin = { x: bx0 - 1, y: by0 - 1, z: bz0 - 1 };
  const crop = new Uint8Array(cx * cy * cz);
  for (let z = bz0; z <= bz1; z++)
    for (let y = by0; y <= by1; y++) {
      const src = (z * sy + y) * sx;
      const dst = ((z - origin.z) * cy + (y - origin.y)) * cx - origin.x;
      for (let x = bx0; x <= bx1; x++) if (mask[src + x] !== 0) crop[dst + x] = 1;
    }

  // DBF at the mask voxels; the full-size transform is dropped right after.
  const vox = new Int32Array(count);
  const dbf = new Float32Array(count);
  {
    const sq = squaredDistanceTransform(crop, { x: cx, y: cy, z: cz }, vs);
    for (let i = 0, m = 0; i < crop.length; i++) if (crop[i]) {
      vox[m] = i;
      dbf[m++] = Math.sqrt(sq[i]!);
    }
  }
  const id = new Int32Array(crop.length).fill(-1);
  for (let m = 0; m < count; m++) id[vox[m]!] = m;
  const { off, len } = neighbours(cx, cy, vs);
  const g: Grid = { id, vox, dbf, off, len, cx, cy, origin };

  // Pieces (26-connected), by breadth-first search.
  const piece = new Int32Array(count).fill(-1);
  const queue = new Int32Array(count);
  const pieceStart: number[] = [];
  const pieceSize: number[] = [];
  for (let s = 0, head = 0, tail = 0; s < count; s++) {
    if (piece[s] !== -1) continue;
    const p = pieceStart.length;
    const start = tail;
    pieceStart.push(start);
    piece[s] = p;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++]!;
      const ci = vox[u]!;
      for (let k = 0; k < 26; k++) {
        const v = id[ci + off[k]!]!;
        if (v >= 0 && piece[v] === -1) {
          piece[v] = p;
          queue[tail++] = v;
        }
      }
    }
    pieceSize.push(tail - start);
  }

  // The given root, snapped to the nearest mask voxel (physical distance).
  let givenRoot = -1;
  if (opts.root) {
    const r = opts.root;
    let best = Infinity;
    for (let m = 0; m < count; m++) {
      const ci = vox[m]!;
      const x = (ci % cx) + origin.x;
      const y = (Math.floor(ci / cx) % cy) + origin.y;
      const z = Math.floor(ci / (cx * cy)) + origin.z;
      const d = ((x - r.x) * vs.x) ** 2 + ((y - r.y) * vs.y) ** 2 + ((z - r.z) * vs.z) ** 2;
      if (d < best) {
        best = d;
        givenRoot = m;
      }
    }
  }
  const order = pieceStart.map((_, p) => p);
  const rootPiece = givenRoot >= 0 ? piece[givenRoot]! : -1;
  order.sort((a, b) => (a === rootPiece ? -1 : b === rootPiece ? 1 : pieceSize[b]! - pieceSize[a]! || a - b));

  // Scratch shared by all pieces.
  const iheap = new IndexedHeap(count);
  const done = new Uint8Array(count);
  const cost = new Float32Array(count);
  const pred = new Int32Array(count).fill(-2);
  const pathLen = new Float32Array(count);
  const reached = new Int32Array(count);
  const covered = new Uint8Array(count);
  const inTree = new Int32Array(count).fill(-2); // voxel tree: parent voxel, -1 root, -2 not in it
  const best = new Float64Array(count).fill(-1);
  const owner = new Int32Array(count).fill(-1);
  const ownerDist = new Float32Array(count);
  const path = new Int32Array(count);
  const heap = new Heap();

  const nodes: SkeletonNode[] = [];
  const coordsOf = (m: number) => {
    const ci = vox[m]!;
    return { x: (ci % cx) + origin.x, y: (Math.floor(ci / cx) % cy) + origin.y, z: Math.floor(ci / (cx * cy)) + origin.z };
  };
  const radiusNmOf = (m: number) => Math.max(dbf[m]! - unit / 2, unit / 2);

  for (const p of order) {
    const members = queue.subarray(pieceStart[p]!, pieceStart[p]! + pieceSize[p]!);
    let maxDbf = 0;
    let central = members[0]!;
    for (const m of members) if (dbf[m]! > maxDbf) {
      maxDbf = dbf[m]!;
      central = m;
    }
    let root = p === rootPiece ? givenRoot : -1;
    if (root < 0) {
      // An end of the piece: farthest (plain geodesic length) from its most central voxel.
      // Breadth-first (26-neighbour hops) rather than a third Dijkstra: only the choice of the end
      // depends on it, and a BFS costs a fraction of a heap-driven search.
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
      for (let i = 0; i < tail; i++) done[reached[i]!] = 0;
    }
    // Sato's penalty: steps near the boundary cost up to 5001 times more than on the medial axis.
    for (const m of members) {
      const a = 1 - dbf[m]! / maxDbf;
      const a2 = a * a;
      const a4 = a2 * a2;
      const a8 = a4 * a4;
      cost[m] = 1 + 5000 * a8 * a8;
    }
    const n = dijkstra(g, root, cost, iheap, done, pred, pathLen, reached);

    // Targets by path length, longest first: sort packed (quantised length, index) doubles.
    const keys = new Float64Array(n);
    const q = 64 / unit;
    for (let i = 0; i < n; i++) keys[i] = Math.round(pathLen[reached[i]!]! * q) * 16777216 + i;
    keys.sort();

    inTree[root] = -1;
    path[0] = root;
    coverTube(g, path, 1, scale, constant, covered, best, owner, ownerDist, heap);
    for (let t = n - 1; t >= 0; t--) {
      const target = reached[keys[t]! % 16777216]!;
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
        Math.hypot(((a % cx) - (b % cx)) * vs.x, ((Math.floor(a / cx) % cy) - (Math.floor(b / cx) % cy)) * vs.y, (Math.floor(a / (cx * cy)) - Math.floor(b / (cx * cy))) * vs.z);
      if (!prune || length > scale * dbf[junction]! + constant + spur) {
        for (let i = 0; i < k; i++) inTree[path[i]!] = i + 1 < k ? path[i + 1]! : junction;
      }
      coverTube(g, path, k, scale, constant, covered, best, owner, ownerDist, heap);
    }

    // Voxel tree → nodes, depth first from the root (parents before children).
    const children = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const m = reached[i]!;
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
        const c = coordsOf(m);
        const rnm = radiusNmOf(m);
        nodeIndex = nodes.length;
        nodes.push({ ...c, radius: rnm / radiusUnit, radiusNm: rnm, parent: parentNode < 0 ? -1 : parentNode });
        acc = 0;
      }
      const ci = vox[m]!;
      for (const kid of kids) {
        const d = Math.hypot(((vox[kid]! % cx) - (ci % cx)) * vs.x, ((Math.floor(vox[kid]! / cx) % cy) - (Math.floor(ci / cx) % cy)) * vs.y, (Math.floor(vox[kid]! / (cx * cy)) - Math.floor(ci / (cx * cy))) * vs.z);
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
