// Exact Euclidean distance transform with anisotropic voxels, by separable lower envelopes of
// parabolas (Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions", Theory of
// Computing 8, 2012). One 1-D pass per axis: after the x pass every voxel holds the squared distance
// to the nearest background voxel in its row, the y pass folds in the rows of its slice, the z pass
// the slices. Each pass is exact, so the result is the exact squared Euclidean distance, in nm², with
// the axis weights (voxel sizes) inside the parabolas: what makes 4×4×40 nm voxels come out right.
//
// Outside the array counts as background (virtual sites at -1 and n on every line), so a mask that
// touches the border gets the distance to the border, not to infinity.
import type { Vec3 } from "./volume";

/**
 * One line: d[q] = min_p (w2·(q-p)² + f[p]) over the sites p of f (Infinity = no site) and the
 * virtual background sites -1 and n. v, fv, zs: scratch of length n + 2 (n + 3 for zs).
 */
function envelope(f: Float64Array, n: number, w2: number, d: Float64Array, v: Int32Array, fv: Float64Array, zs: Float64Array): void {
  let k = 0;
  v[0] = -1;
  fv[0] = 0;
  zs[0] = -Infinity;
  zs[1] = Infinity;
  for (let q = 0; q <= n; q++) {
    const fq = q < n ? f[q]! : 0;
    if (fq === Infinity) continue;
    const a = fq + w2 * q * q;
    let s = 0;
    for (;;) {
      const p = v[k]!;
      s = (a - (fv[k]! + w2 * p * p)) / (2 * w2 * (q - p));
      if (s <= zs[k]!) k--; // never below 0: site -1 has zs = -Infinity
      else break;
    }
    k++;
    v[k] = q;
    fv[k] = fq;
    zs[k] = s;
    zs[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (zs[k + 1]! < q) k++;
    const dq = q - v[k]!;
    d[q] = w2 * dq * dq + fv[k]!;
  }
}

/**
 * Squared distance (nm²) from every voxel to the nearest voxel where mask is 0 (0 on background).
 * mask: z,y,x C order over `shape`; voxelSize in nm per voxel (default 1: voxel units).
 */
export function squaredDistanceTransform(mask: Uint8Array, shape: Vec3, voxelSize: Vec3 = { x: 1, y: 1, z: 1 }): Float32Array {
  const sx = shape.x;
  const sy = shape.y;
  const sz = shape.z;
  const n = sx * sy * sz;
  if (mask.length !== n) throw new Error(`mask has ${mask.length} values, shape needs ${n}`);
  const out = new Float32Array(n);
  const len = Math.max(sx, sy, sz);
  const f = new Float64Array(len);
  const d = new Float64Array(len);
  const v = new Int32Array(len + 2);
  const fv = new Float64Array(len + 2);
  const zs = new Float64Array(len + 3);

  // x: rows are contiguous.
  const wx = voxelSize.x * voxelSize.x;
  for (let row = 0; row < sy * sz; row++) {
    const o = row * sx;
    let any = false;
    for (let x = 0; x < sx; x++) {
      const inside = mask[o + x] !== 0;
      f[x] = inside ? Infinity : 0;
      any ||= inside;
    }
    if (!any) continue; // all background: zeros already
    envelope(f, sx, wx, d, v, fv, zs);
    for (let x = 0; x < sx; x++) out[o + x] = d[x]!;
  }
  // y: stride sx inside each slice.
  const wy = voxelSize.y * voxelSize.y;
  for (let z = 0; z < sz; z++) {
    for (let x = 0; x < sx; x++) {
      const o = z * sx * sy + x;
      let any = false;
      for (let y = 0; y < sy; y++) {
        const val = out[o + y * sx]!;
        f[y] = val;
        any ||= val !== 0;
      }
      if (!any) continue;
      envelope(f, sy, wy, d, v, fv, zs);
      for (let y = 0; y < sy; y++) out[o + y * sx] = d[y]!;
    }
  }
  // z: stride sx*sy.
  const wz = voxelSize.z * voxelSize.z;
  const plane = sx * sy;
  for (let i = 0; i < plane; i++) {
    let any = false;
    for (let z = 0; z < sz; z++) {
      const val = out[i + z * plane]!;
      f[z] = val;
      any ||= val !== 0;
    }
    if (!any) continue;
    envelope(f, sz, wz, d, v, fv, zs);
    for (let z = 0; z < sz; z++) out[i + z * plane] = d[z]!;
  }
  return out;
}

/** Distance (nm) to the nearest background voxel; see squaredDistanceTransform. */
export function distanceTransform(mask: Uint8Array, shape: Vec3, voxelSize?: Vec3): Float32Array {
  const sq = squaredDistanceTransform(mask, shape, voxelSize);
  for (let i = 0; i < sq.length; i++) sq[i] = Math.sqrt(sq[i]!);
  return sq;
}
