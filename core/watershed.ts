/**
 * Seeded 3D watershed of a boundary-probability map, for making supervoxels.
 * Pure, typed arrays only, no per-voxel allocation. Volumes are z,y,x C order (x fastest).
 *
 *   boundary (uint8, 0..255 = probability·255)
 *     → interior mask  (boundary < threshold)
 *     → squared Euclidean distance to the nearest boundary voxel (`distanceTransformSq`, exact, separable)
 *     → seeds: connected plateaus of distance maxima at least `minSeedDistance` from a boundary
 *       (`distanceSeeds`), so two cells touching through a gap in the predicted boundary still get
 *       separate seeds; interior components too thin for that get one seed each
 *     → priority flood on the quantised boundary values with a 256-bucket queue (`watershed`),
 *       FIFO inside a bucket, labels assigned on push (like skimage's heap-based watershed).
 */
import type { Vec3 } from "./volume";

const INF = 1e20;

function checkShape(n: number, shape: Vec3, what: string): void {
  if (n !== shape.x * shape.y * shape.z) {
    throw new Error(`${what} has ${n} values, shape ${shape.x}×${shape.y}×${shape.z} needs ${shape.x * shape.y * shape.z}`);
  }
}

/**
 * 1-D squared distance transform of `f` (Felzenszwalb & Huttenlocher 2012) over `n` samples read
 * with `stride` from `off` in `data`, written back in place. Scratch buffers are passed in.
 */
function edt1d(data: Float32Array, off: number, stride: number, n: number, f: Float64Array, d: Float64Array, v: Int32Array, zz: Float64Array): void {
  for (let i = 0; i < n; i++) f[i] = data[off + i * stride]!;
  let k = 0;
  v[0] = 0;
  zz[0] = -INF;
  zz[1] = INF;
  for (let q = 1; q < n; q++) {
    const fq = f[q]!;
    if (fq >= INF) continue; // a point at infinity never becomes a parabola's minimum
    let s = 0;
    for (;;) {
      const p = v[k]!;
      s = (fq + q * q - (f[p]! + p * p)) / (2 * q - 2 * p);
      if (s <= zz[k]! && k > 0) k--;
      else break;
    }
    if (f[v[k]!]! >= INF) {
      // only infinite parabolas so far: replace
      v[k] = q;
      zz[k] = -INF;
      zz[k + 1] = INF;
      continue;
    }
    k++;
    v[k] = q;
    zz[k] = s;
    zz[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (zz[k + 1]! < q) k++;
    const p = v[k]!;
    const fp = f[p]!;
    d[q] = fp >= INF ? INF : (q - p) * (q - p) + fp;
  }
  for (let i = 0; i < n; i++) data[off + i * stride] = d[i]!;
}

/**
 * Exact squared Euclidean distance (in voxels) from every voxel to the nearest voxel where
 * `isBoundary` is true; boundary voxels get 0. Outside the volume counts as interior (no boundary),
 * so the volume edge does not pull distances down. A volume without any boundary voxel is all ~1e20.
 */
export function distanceTransformSq(isBoundary: Uint8Array, shape: Vec3, out?: Float32Array): Float32Array {
  checkShape(isBoundary.length, shape, "mask");
  const { x: sx, y: sy, z: sz } = shape;
  const n = sx * sy * sz;
  const dt = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) dt[i] = isBoundary[i] ? 0 : INF;
  const m = Math.max(sx, sy, sz);
  const f = new Float64Array(m);
  const d = new Float64Array(m);
  const v = new Int32Array(m);
  const zz = new Float64Array(m + 1);
  for (let z = 0; z < sz; z++) for (let y = 0; y < sy; y++) edt1d(dt, (z * sy + y) * sx, 1, sx, f, d, v, zz);
  for (let z = 0; z < sz; z++) for (let x = 0; x < sx; x++) edt1d(dt, z * sy * sx + x, sx, sy, f, d, v, zz);
  if (sz > 1) for (let y = 0; y < sy; y++) for (let x = 0; x < sx; x++) edt1d(dt, y * sx + x, sx * sy, sz, f, d, v, zz);
  return dt;
}

/**
 * Label the 6-connected components of voxels where `mask` is non-zero: ids 1..count in order of
 * first voxel (z,y,x scan), 0 elsewhere. Writes into `labels` (reused when given).
 */
export function connectedComponents(mask: Uint8Array, shape: Vec3, labels?: Uint32Array): { labels: Uint32Array; count: number } {
  checkShape(mask.length, shape, "mask");
  const { x: sx, y: sy, z: sz } = shape;
  const n = sx * sy * sz;
  const out = labels ?? new Uint32Array(n);
  out.fill(0);
  const plane = sx * sy;
  const lastPlane = n - plane;
  let stack = new Int32Array(1024);
  let count = 0;
  for (let i0 = 0; i0 < n; i0++) {
    if (!mask[i0] || out[i0] !== 0) continue;
    const id = ++count;
    out[i0] = id;
    let top = 0;
    stack[top++] = i0;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % sx;
      const r = i % plane; // y*sx + x: y > 0 ⟺ r >= sx, y < sy-1 ⟺ r < plane - sx
      if (top + 6 > stack.length) {
        const s2 = new Int32Array(stack.length * 2);
        s2.set(stack);
        stack = s2;
      }
      if (x > 0 && mask[i - 1] && out[i - 1] === 0) { out[i - 1] = id; stack[top++] = i - 1; }
      if (x < sx - 1 && mask[i + 1] && out[i + 1] === 0) { out[i + 1] = id; stack[top++] = i + 1; }
      if (r >= sx && mask[i - sx] && out[i - sx] === 0) { out[i - sx] = id; stack[top++] = i - sx; }
      if (r < plane - sx && mask[i + sx] && out[i + sx] === 0) { out[i + sx] = id; stack[top++] = i + sx; }
      if (i >= plane && mask[i - plane] && out[i - plane] === 0) { out[i - plane] = id; stack[top++] = i - plane; }
      if (i < lastPlane && mask[i + plane] && out[i + plane] === 0) { out[i + plane] = id; stack[top++] = i + plane; }
    }
  }
  return { labels: out, count };
}

export type SeedOptions = {
  /** Boundary byte at or above which a voxel is boundary (default 128 = probability 0.5). */
  threshold?: number;
  /** Seeds are distance maxima at least this far (voxels) from the boundary (default 2). */
  minSeedDistance?: number;
};

/**
 * Seeds for `watershed`: ids 1..count, 0 = not a seed.
 * A seed is a 6-connected plateau of voxels whose distance to the boundary is a local maximum
 * (>= each 6-neighbour) and >= minSeedDistance. Each interior component (boundary < threshold)
 * that holds no such voxel gets its deepest voxel as a seed, so no cell is left without one.
 */
export function distanceSeeds(boundary: Uint8Array, shape: Vec3, opts: SeedOptions = {}): { seeds: Uint32Array; count: number } {
  checkShape(boundary.length, shape, "boundary map");
  const threshold = opts.threshold ?? 128;
  const minD = opts.minSeedDistance ?? 2;
  const { x: sx, y: sy, z: sz } = shape;
  const n = sx * sy * sz;
  const plane = sx * sy;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = boundary[i]! >= threshold ? 1 : 0;
  const dt = distanceTransformSq(mask, shape);
  const minSq = minD * minD;
  // local maxima of the distance (non-strict, 6-neighbourhood), reusing `mask` as the output mask
  for (let z = 0, i = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      for (let x = 0; x < sx; x++, i++) {
        const d = dt[i]!;
        if (d < minSq || d === 0) {
          mask[i] = 0;
          continue;
        }
        mask[i] =
          (x === 0 || dt[i - 1]! <= d) &&
          (x === sx - 1 || dt[i + 1]! <= d) &&
          (y === 0 || dt[i - sx]! <= d) &&
          (y === sy - 1 || dt[i + sx]! <= d) &&
          (z === 0 || dt[i - plane]! <= d) &&
          (z === sz - 1 || dt[i + plane]! <= d)
            ? 1
            : 0;
      }
    }
  }
  const { labels: seeds, count: c0 } = connectedComponents(mask, shape);
  let count = c0;
  // interior components without a seed: their deepest voxel becomes one
  for (let i = 0; i < n; i++) mask[i] = boundary[i]! < threshold ? 1 : 0;
  const { labels: comp, count: nComp } = connectedComponents(mask, shape);
  const hasSeed = new Uint8Array(nComp + 1);
  const best = new Int32Array(nComp + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = comp[i]!;
    if (c === 0) continue;
    if (seeds[i] !== 0) hasSeed[c] = 1;
    else if (best[c] === -1 || dt[i]! > dt[best[c]!]!) best[c] = i;
  }
  for (let c = 1; c <= nComp; c++) if (!hasSeed[c] && best[c]! >= 0) seeds[best[c]!] = ++count;
  return { seeds, count };
}

/**
 * Priority-flood watershed: every voxel gets the id of the seed whose flood reaches it first,
 * flooding in order of `elevation` (uint8, lowest first; ties first-in first-out). Labels are
 * assigned when a voxel is queued (as skimage.segmentation.watershed does). 6-connectivity.
 * With no seed at all the result is all 0. `seeds` is not modified.
 */
export function watershed(elevation: Uint8Array, seeds: Uint32Array, shape: Vec3, out?: Uint32Array): Uint32Array {
  checkShape(elevation.length, shape, "elevation");
  checkShape(seeds.length, shape, "seeds");
  const { x: sx, y: sy, z: sz } = shape;
  const n = sx * sy * sz;
  const plane = sx * sy;
  const lastPlane = n - plane;
  const labels = out ?? new Uint32Array(n);
  if (labels !== seeds) labels.set(seeds);
  // bucket queue: one FIFO linked list per elevation level, through a shared `next` array
  const next = new Int32Array(n);
  const head = new Int32Array(256).fill(-1);
  const tail = new Int32Array(256).fill(-1);
  let cur = 256;
  const push = (i: number, level: number) => {
    next[i] = -1;
    if (tail[level] === -1) head[level] = i;
    else next[tail[level]!] = i;
    tail[level] = i;
    if (level < cur) cur = level;
  };
  for (let i = 0; i < n; i++) if (labels[i] !== 0) push(i, elevation[i]!);
  while (cur < 256) {
    const i = head[cur]!;
    if (i === -1) {
      cur++;
      continue;
    }
    head[cur] = next[i]!;
    if (head[cur] === -1) tail[cur] = -1;
    const id = labels[i]!;
    const x = i % sx;
    const r = i % plane; // y*sx + x: y > 0 ⟺ r >= sx, y < sy-1 ⟺ r < plane - sx
    let j: number;
    if (x > 0 && labels[(j = i - 1)] === 0) { labels[j] = id; push(j, elevation[j]!); }
    if (x < sx - 1 && labels[(j = i + 1)] === 0) { labels[j] = id; push(j, elevation[j]!); }
    if (r >= sx && labels[(j = i - sx)] === 0) { labels[j] = id; push(j, elevation[j]!); }
    if (r < plane - sx && labels[(j = i + sx)] === 0) { labels[j] = id; push(j, elevation[j]!); }
    if (i >= plane && labels[(j = i - plane)] === 0) { labels[j] = id; push(j, elevation[j]!); }
    if (i < lastPlane && labels[(j = i + plane)] === 0) { labels[j] = id; push(j, elevation[j]!); }
  }
  return labels;
}
