// Skeletonization of a binary mask by geodesic shells ("TEASAR-lite"):
//  1. per 26-connected component, root = the given root if it lies in that component, else the voxel
//     farthest (in BFS hops) from an arbitrary voxel: an extremity of the neurite;
//  2. BFS hop distance from the root inside the mask;
//  3. cut into shells of `step` hops (the first reaches the root's clearance); every 26-connected piece of a shell becomes one node at its
//     centroid (snapped to the piece's nearest voxel when the centroid falls outside the piece);
//  4. parent = the piece of the previous shell that the piece's first BFS voxel was reached from.
//     Every piece of shell s contains a voxel at distance exactly s*step (follow BFS predecessors
//     down within the shell), so that voxel has a neighbour in shell s-1 and the parent is defined;
//  5. spurs (leaf chains shorter than the branch point's radius + step) are pruned: they come from
//     bumps on the surface, not from branches.
// Radius = distance from the node's voxel to the nearest voxel outside the mask, minus half a voxel
// (the surface lies between voxel centres), i.e. the inscribed-sphere radius, found by a local search
// of growing cubic rings. It is isotropic in voxel units.
// Work happens over the mask's bounding box plus one voxel of padding, so the hot loops need no
// bounds checks.
import type { Vec3 } from "./volume";

export type SkeletonNode = {
  /** Voxel coordinates of the full volume (may be fractional: centroids). */
  x: number;
  y: number;
  z: number;
  /** Voxels. */
  radius: number;
  /** Radius in nm, when the skeleton knew the voxel size. */
  radiusNm?: number;
  /** Index into nodes, or -1 for a root. Always smaller than the node's own index. */
  parent: number;
};

export type Skeleton = { nodes: SkeletonNode[] };

export type SkeletonOptions = {
  /** Root voxel; snapped to the nearest mask voxel if outside the mask. Its tree comes first. */
  root?: Vec3;
  /** BFS hops per shell (node spacing along the neurite), default 4. */
  step?: number;
  /** Remove short spurs, default true. */
  prune?: boolean;
  /** nm per voxel (default 1,1,1). */
  voxelSize?: Vec3;
};

const OUT = 0;
const UNSEEN = 1;
const SEEN = 2;
const DIST = 3;
const NODE = 4;

export function skeletonize(mask: Uint8Array, shape: Vec3, opts: SkeletonOptions = {}): Skeleton {
  const sx = shape.x;
  const sy = shape.y;
  const sz = shape.z;
  if (mask.length !== sx * sy * sz) throw new Error(`mask has ${mask.length} values, shape needs ${sx * sy * sz}`);
  const step = Math.max(1, Math.round(opts.step ?? 4));

  // Bounding box of the mask.
  let bx0 = sx;
  let by0 = sy;
  let bz0 = sz;
  let bx1 = -1;
  let by1 = -1;
  let bz1 = -1;
  let count = 0;
  for (let z = 0, i = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      let first = -1;
      let last = -1;
      for (let x = 0; x < sx; x++, i++) {
        if (mask[i] !== 0) {
          if (first < 0) first = x;
          last = x;
          count++;
        }
      }
      if (first >= 0) {
        if (first < bx0) bx0 = first;
        if (last > bx1) bx1 = last;
        if (y < by0) by0 = y;
        if (y > by1) by1 = y;
        if (z < bz0) bz0 = z;
        if (z > bz1) bz1 = z;
      }
    }
  }
  if (count === 0) return { nodes: [] };

  // Padded crop: padded coordinate P = original - b0 + 1. `flag` (one byte per voxel, so the
  // 26-neighbour loops stay in cache) says what `val` holds: OUT outside the mask, UNSEEN not visited,
  // SEEN found by the first BFS, DIST val = hop distance from the root, NODE val = node index.
  const px = bx1 - bx0 + 3;
  const py = by1 - by0 + 3;
  const pz = bz1 - bz0 + 3;
  const pxy = px * py;
  const n = pxy * pz;
  const flag = new Uint8Array(n);
  const val = new Int32Array(n);
  for (let z = bz0; z <= bz1; z++) {
    for (let y = by0; y <= by1; y++) {
      let src = (z * sy + y) * sx + bx0;
      let dst = ((z - bz0 + 1) * py + (y - by0 + 1)) * px + 1;
      for (let x = bx0; x <= bx1; x++, src++, dst++) if (mask[src] !== 0) flag[dst] = UNSEEN;
    }
  }

  const off = new Int32Array(26);
  for (let dz = -1, k = 0; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (dx || dy || dz) off[k++] = dz * pxy + dy * px + dx;

  const queue = new Int32Array(count);
  const qd = new Int32Array(count);
  const sums = new Float64Array(3);
  const fq = new Int32Array(count);

  // Nodes under construction, padded coordinates.
  const nx: number[] = [];
  const ny: number[] = [];
  const nz: number[] = [];
  const nr: number[] = [];
  const np: number[] = [];

  const decodeX = (v: number) => v % px;
  const decodeY = (v: number) => Math.floor(v / px) % py;
  const decodeZ = (v: number) => Math.floor(v / pxy);

  // Distance from voxel v to the nearest voxel outside the mask (the padding guarantees one exists).
  const clearance = (v: number): number => {
    const X = decodeX(v);
    const Y = decodeY(v);
    const Z = decodeZ(v);
    let best = Infinity;
    for (let k = 1; k * k < best; k++) {
      for (let dz = -k; dz <= k; dz++) {
        const Z2 = Z + dz;
        if (Z2 < 0 || Z2 >= pz) continue;
        for (let dy = -k; dy <= k; dy++) {
          const Y2 = Y + dy;
          if (Y2 < 0 || Y2 >= py) continue;
          // Only the ring's surface: full rows on the z/y faces, the two x ends elsewhere.
          const face = dz === -k || dz === k || dy === -k || dy === k;
          const inc = face ? 1 : 2 * k;
          for (let dx = -k; dx <= k; dx += inc) {
            const X2 = X + dx;
            if (X2 < 0 || X2 >= px) continue;
            if (flag[(Z2 * py + Y2) * px + X2] === OUT) {
              const d2 = dx * dx + dy * dy + dz * dz;
              if (d2 < best) best = d2;
            }
          }
        }
      }
    }
    return Math.sqrt(best);
  };

  const processComponent = (start: number, userRoot: number) => {
    let tail = bfsMark(flag, px, pxy, queue, start);
    const root = userRoot >= 0 && flag[userRoot] === SEEN ? userRoot : queue[tail - 1]!;
    tail = bfsDistance(flag, val, px, pxy, queue, qd, root);

    // Shells: contiguous ranges of the BFS order. The first one reaches at least the root's clearance,
    // so a root inside a thick part (a soma) gets one node for the whole cross-section instead of a
    // ring-shaped child around it.
    const first = Math.max(step, Math.ceil(clearance(root)));
    let a = 0;
    while (a < tail) {
      const d0 = qd[a]!;
      const lo = d0 < first ? 0 : first + Math.floor((d0 - first) / step) * step;
      const hi = lo === 0 ? first : lo + step;
      let b = a;
      while (b < tail && qd[b]! < hi) b++;
      for (let i = a; i < b; i++) {
        const seed = queue[i]!;
        if (flag[seed] === NODE) continue; // already in a piece
        const id = np.length;
        // The seed is the piece's first voxel in BFS order, so it sits at distance lo and any assigned
        // neighbour is in the previous shell (other pieces of this shell don't touch it).
        let parent = -1;
        for (let k = 0; k < 26; k++) {
          const u = seed + off[k]!;
          if (flag[u] === NODE) {
            parent = val[u]!;
            break;
          }
        }
        const ft = floodPiece(flag, val, px, py, fq, seed, hi, id, sums);
        const sumX = sums[0]!;
        const sumY = sums[1]!;
        const sumZ = sums[2]!;
        let cx = sumX / ft;
        let cy = sumY / ft;
        let cz = sumZ / ft;
        let at = (Math.round(cz) * py + Math.round(cy)) * px + Math.round(cx);
        if (flag[at] !== NODE || val[at] !== id) {
          // Curved piece: its centroid lies outside it; use the piece's voxel nearest the centroid.
          let best = Infinity;
          for (let j = 0; j < ft; j++) {
            const w = fq[j]!;
            const dx = decodeX(w) - cx;
            const dy = decodeY(w) - cy;
            const dz = decodeZ(w) - cz;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < best) {
              best = d2;
              at = w;
            }
          }
          cx = decodeX(at);
          cy = decodeY(at);
          cz = decodeZ(at);
        }
        nx.push(cx);
        ny.push(cy);
        nz.push(cz);
        nr.push(Math.max(0.5, clearance(at) - 0.5));
        np.push(parent);
      }
      a = b;
    }
  };

  let userRoot = -1;
  if (opts.root) userRoot = nearestMaskVoxel(flag, px, py, pz, opts.root.x - bx0 + 1, opts.root.y - by0 + 1, opts.root.z - bz0 + 1);
  if (userRoot >= 0) processComponent(userRoot, userRoot);
  for (let v = 0; v < n; v++) if (flag[v] === UNSEEN) processComponent(v, -1);

  const keep = opts.prune === false ? null : spursToKeep(nx, ny, nz, nr, np, step);
  const nodes: SkeletonNode[] = [];
  const newIndex = new Int32Array(np.length).fill(-1);
  for (let i = 0; i < np.length; i++) {
    if (keep && !keep[i]) continue;
    const p = np[i]!;
    newIndex[i] = nodes.length;
    nodes.push({
      x: nx[i]! - 1 + bx0,
      y: ny[i]! - 1 + by0,
      z: nz[i]! - 1 + bz0,
      radius: nr[i]!,
      parent: p < 0 ? -1 : newIndex[p]!,
    });
  }
  return { nodes };
}

// The three passes below visit 26 neighbours per voxel. They are unrolled over offsets held in locals
// (13 offsets, each used with both signs): about 3x faster in V8 than a loop over an offset array,
// and they run over every mask voxel. Top-level functions with the arrays as arguments, not closures,
// so V8 keeps them in registers.

/** BFS over UNSEEN voxels from `start`, marking them SEEN; returns the count. queue[count-1] is farthest. */
function bfsMark(flag: Uint8Array, px: number, pxy: number, queue: Int32Array, start: number): number {
  const o1 = 1, o2 = px - 1, o3 = px, o4 = px + 1, o5 = pxy - px - 1, o6 = pxy - px, o7 = pxy - px + 1;
  const o8 = pxy - 1, o9 = pxy, o10 = pxy + 1, o11 = pxy + px - 1, o12 = pxy + px, o13 = pxy + px + 1;
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  flag[start] = SEEN;
  let u = 0;
  while (head < tail) {
    const v = queue[head++]!;
    u = v - o1; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o1; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o2; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o2; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o3; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o3; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o4; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o4; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o5; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o5; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o6; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o6; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o7; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o7; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o8; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o8; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o9; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o9; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o10; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o10; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o11; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o11; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o12; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o12; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v - o13; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
    u = v + o13; if (flag[u] === UNSEEN) { flag[u] = SEEN; queue[tail++] = u; }
  }
  return tail;
}

/**
 * BFS over SEEN voxels from `root`, writing hop distances to `val` and, in queue order, to `qd` (so the
 * shell loop reads them sequentially). The queue ends up sorted by distance.
 */
function bfsDistance(
  flag: Uint8Array,
  val: Int32Array,
  px: number,
  pxy: number,
  queue: Int32Array,
  qd: Int32Array,
  root: number,
): number {
  const o1 = 1, o2 = px - 1, o3 = px, o4 = px + 1, o5 = pxy - px - 1, o6 = pxy - px, o7 = pxy - px + 1;
  const o8 = pxy - 1, o9 = pxy, o10 = pxy + 1, o11 = pxy + px - 1, o12 = pxy + px, o13 = pxy + px + 1;
  let head = 0;
  let tail = 0;
  queue[tail++] = root;
  flag[root] = DIST;
  val[root] = 0;
  qd[0] = 0;
  let u = 0;
  while (head < tail) {
    const v = queue[head++]!;
    const d = val[v]! + 1;
    u = v - o1; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o1; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o2; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o2; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o3; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o3; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o4; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o4; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o5; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o5; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o6; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o6; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o7; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o7; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o8; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o8; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o9; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o9; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o10; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o10; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o11; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o11; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o12; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o12; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v - o13; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
    u = v + o13; if (flag[u] === SEEN) { flag[u] = DIST; val[u] = d; qd[tail] = d; queue[tail++] = u; }
  }
  return tail;
}

/**
 * Assign node `id` to the piece of the current shell containing `seed`; padded coordinate sums go to
 * `sums`. Returns its size. Unassigned DIST voxels next to the shell have distance >= its start
 * (the previous shell is fully assigned), so only the upper bound needs checking.
 */
function floodPiece(
  flag: Uint8Array,
  val: Int32Array,
  px: number,
  py: number,
  fq: Int32Array,
  seed: number,
  hi: number,
  id: number,
  sums: Float64Array,
): number {
  const pxy = px * py;
  const o1 = 1, o2 = px - 1, o3 = px, o4 = px + 1, o5 = pxy - px - 1, o6 = pxy - px, o7 = pxy - px + 1;
  const o8 = pxy - 1, o9 = pxy, o10 = pxy + 1, o11 = pxy + px - 1, o12 = pxy + px, o13 = pxy + px + 1;
  let fh = 0;
  let ft = 0;
  fq[ft++] = seed;
  flag[seed] = NODE;
  val[seed] = id;
  let sumX = 0;
  let sumY = 0;
  let sumZ = 0;
  let u = 0;
  while (fh < ft) {
    const w = fq[fh++]!;
    const X = w % px;
    const t = (w - X) / px;
    const Y = t % py;
    sumX += X;
    sumY += Y;
    sumZ += (t - Y) / py;
    u = w - o1; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o1; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o2; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o2; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o3; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o3; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o4; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o4; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o5; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o5; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o6; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o6; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o7; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o7; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o8; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o8; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o9; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o9; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o10; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o10; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o11; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o11; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o12; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o12; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w - o13; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
    u = w + o13; if (flag[u] === DIST && val[u]! < hi) { flag[u] = NODE; val[u] = id; fq[ft++] = u; }
  }
  sums[0] = sumX;
  sums[1] = sumY;
  sums[2] = sumZ;
  return ft;
}

// Index of the mask voxel nearest (X,Y,Z) in padded coordinates; the voxel itself when it is in the mask.
function nearestMaskVoxel(flag: Uint8Array, px: number, py: number, pz: number, X: number, Y: number, Z: number): number {
  const rx = Math.round(X);
  const ry = Math.round(Y);
  const rz = Math.round(Z);
  if (rx >= 0 && ry >= 0 && rz >= 0 && rx < px && ry < py && rz < pz) {
    const v = (rz * py + ry) * px + rx;
    if (flag[v] !== OUT) return v;
  }
  // One-off full scan: only when the caller's root misses the mask.
  let best = Infinity;
  let at = -1;
  for (let z = 0, v = 0; z < pz; z++)
    for (let y = 0; y < py; y++)
      for (let x = 0; x < px; x++, v++) {
        if (flag[v] === OUT) continue;
        const d2 = (x - X) ** 2 + (y - Y) ** 2 + (z - Z) ** 2;
        if (d2 < best) {
          best = d2;
          at = v;
        }
      }
  return at;
}

/**
 * Which nodes survive spur pruning. A spur is a chain from a leaf up to a branch point that is shorter
 * than the branch point's radius + step. If every child of a branch point is a spur, the longest stays,
 * so pruning never shortens a real end by a whole branch.
 */
function spursToKeep(nx: number[], ny: number[], nz: number[], nr: number[], np: number[], step: number): Uint8Array {
  const count = np.length;
  const keep = new Uint8Array(count).fill(1);
  const children = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const p = np[i]!;
    if (p >= 0) children[p]!++;
  }
  const len = (i: number, j: number) => Math.hypot(nx[i]! - nx[j]!, ny[i]! - ny[j]!, nz[i]! - nz[j]!);
  // Per branch point: its spurs (leaf index and length).
  const spurs = new Map<number, { leaf: number; length: number }[]>();
  for (let leaf = 0; leaf < count; leaf++) {
    if (children[leaf] !== 0 || np[leaf]! < 0) continue;
    let cur = leaf;
    let length = 0;
    let bp = -1;
    for (;;) {
      const p = np[cur]!;
      length += len(cur, p);
      if (children[p]! > 1) {
        bp = p;
        break;
      }
      if (np[p]! < 0) break; // reached the root: this is the trunk, not a spur
      cur = p;
    }
    if (bp < 0 || length >= nr[bp]! + step) continue;
    let list = spurs.get(bp);
    if (!list) spurs.set(bp, (list = []));
    list.push({ leaf, length });
  }
  for (const [bp, list] of spurs) {
    if (list.length === children[bp]) {
      let longest = 0;
      for (let k = 1; k < list.length; k++) if (list[k]!.length > list[longest]!.length) longest = k;
      list.splice(longest, 1);
    }
    for (const { leaf } of list) {
      for (let cur = leaf; cur !== bp; cur = np[cur]!) keep[cur] = 0;
    }
  }
  return keep;
}
