// Iso-surface of a voxel field: marching cubes in its tetrahedral form. Each grid cell (8 neighbouring voxel
// centres) is cut into 6 tetrahedra along its main diagonal (the Kuhn/Freudenthal split) and each tetrahedron
// is polygonised on its own. Why tetrahedra rather than the 256-case cube table: every cell is split the
// same way, so neighbouring cells cut their shared face identically, and the surface has no cracks and none
// of the classic table's ambiguous cases; it is closed (watertight) by construction wherever the field is
// padded with "outside" at the border, which we do by treating voxels beyond the volume as 0.
// Vertices sit on grid edges, shared by the triangles on both sides (one vertex per cut edge), so the mesh
// is indexed and every edge belongs to exactly two triangles. Output coordinates are voxel units (voxel
// centres at integers); callers scale by the voxel size.
export type Shape3 = { x: number; y: number; z: number };
export type Mesh = { positions: Float32Array; indices: Uint32Array };

// Corner c of a cell is (c & 1, (c >> 1) & 1, (c >> 2) & 1). The 6 tetrahedra all contain corners 0 and 7
// and follow one monotone path 0 → a → a|b → 7 for each order of the three axes.
const TETS: readonly (readonly [number, number, number, number])[] = [
  [0, 1, 3, 7], [0, 1, 5, 7], [0, 2, 3, 7], [0, 2, 6, 7], [0, 4, 5, 7], [0, 4, 6, 7],
];

/** Growable typed arrays without per-element allocation. */
class F32 {
  a = new Float32Array(1024);
  n = 0;
  push3(x: number, y: number, z: number) {
    if (this.n + 3 > this.a.length) { const b = new Float32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = x; this.a[this.n++] = y; this.a[this.n++] = z;
  }
}
class U32 {
  a = new Uint32Array(1024);
  n = 0;
  push3(x: number, y: number, z: number) {
    if (this.n + 3 > this.a.length) { const b = new Uint32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = x; this.a[this.n++] = y; this.a[this.n++] = z;
  }
}

/**
 * Triangles of the surface `field = iso` (inside: field > iso). `field` is C order, x fastest. Linear
 * interpolation along edges; for a binary mask use iso 0.5 (vertices at edge midpoints) or smooth it first
 * (`smoothMask`) for a rounder surface.
 */
export function marchingCubes(field: ArrayLike<number>, shape: Shape3, iso = 0.5): Mesh {
  const { x: sx, y: sy, z: sz } = shape;
  if (field.length !== sx * sy * sz) throw new Error(`field has ${field.length} values, shape needs ${sx * sy * sz}`);
  // Padded grid: indices -1..s (s + 2 per axis) so the border reads as outside.
  const px = sx + 2, py = sy + 2;
  const at = (x: number, y: number, z: number) => (x < 0 || y < 0 || z < 0 || x >= sx || y >= sy || z >= sz ? 0 : field[(z * sy + y) * sx + x]!);
  const pos = new F32();
  const idx = new U32();
  const edgeVertex = new Map<number, number>();
  const cx = new Int32Array(8), cy = new Int32Array(8), cz = new Int32Array(8);
  const cv = new Float64Array(8);
  const cid = new Float64Array(8); // padded grid index of each corner (edge keys)

  /** Index of the vertex on the edge between corners i and j (i inside, j outside). */
  const vertexOn = (i: number, j: number): number => {
    const lo = cid[i]! < cid[j]! ? i : j, hi = lo === i ? j : i;
    // An edge goes from a corner to one offset by a non-zero 0/1 vector: 7 kinds per lower corner.
    const dir = (cx[hi]! - cx[lo]!) | ((cy[hi]! - cy[lo]!) << 1) | ((cz[hi]! - cz[lo]!) << 2);
    const key = cid[lo]! * 8 + dir;
    let v = edgeVertex.get(key);
    if (v === undefined) {
      const t = (iso - cv[i]!) / (cv[j]! - cv[i]!);
      pos.push3(cx[i]! + t * (cx[j]! - cx[i]!), cy[i]! + t * (cy[j]! - cy[i]!), cz[i]! + t * (cz[j]! - cz[i]!));
      v = pos.n / 3 - 1;
      edgeVertex.set(key, v);
    }
    return v;
  };

  /** Adds triangle (a, b, c), flipped if needed so its normal points away from the inside corner `inside`. */
  const tri = (a: number, b: number, c: number, inside: number) => {
    const P = pos.a;
    const ax = P[3 * a]!, ay = P[3 * a + 1]!, az = P[3 * a + 2]!;
    const ux = P[3 * b]! - ax, uy = P[3 * b + 1]! - ay, uz = P[3 * b + 2]! - az;
    const vx = P[3 * c]! - ax, vy = P[3 * c + 1]! - ay, vz = P[3 * c + 2]! - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const dot = nx * (ax - cx[inside]!) + ny * (ay - cy[inside]!) + nz * (az - cz[inside]!);
    if (dot >= 0) idx.push3(a, b, c);
    else idx.push3(a, c, b);
  };

  // Inside flags on the padded grid, so the scan below is 8 byte reads per cell; most cells are all in or
  // all out and are skipped before anything else is computed.
  const pz = sz + 2;
  const inside = new Uint8Array(px * py * pz);
  for (let z = 0; z < sz; z++) for (let y = 0; y < sy; y++) {
    let i = (z * sy + y) * sx, o = ((z + 1) * py + (y + 1)) * px + 1;
    for (let x = 0; x < sx; x++, i++, o++) inside[o] = field[i]! > iso ? 1 : 0;
  }
  const offset = [0, 1, px, px + 1, px * py, px * py + 1, px * py + px, px * py + px + 1];
  const [o0, o1, o2, o3, o4, o5, o6, o7] = offset as [number, number, number, number, number, number, number, number];

  for (let z = -1; z < sz; z++) {
    for (let y = -1; y < sy; y++) {
      let base = ((z + 1) * py + (y + 1)) * px;
      for (let x = -1; x < sx; x++, base++) {
        const mask = inside[base + o0]! | (inside[base + o1]! << 1) | (inside[base + o2]! << 2) | (inside[base + o3]! << 3) |
          (inside[base + o4]! << 4) | (inside[base + o5]! << 5) | (inside[base + o6]! << 6) | (inside[base + o7]! << 7);
        if (mask === 0 || mask === 255) continue; // the common case: no surface in this cell
        for (let c = 0; c < 8; c++) {
          const X = x + (c & 1), Y = y + ((c >> 1) & 1), Z = z + ((c >> 2) & 1);
          cx[c] = X; cy[c] = Y; cz[c] = Z;
          cv[c] = at(X, Y, Z);
          cid[c] = base + offset[c]!;
        }
        for (const t of TETS) {
          let ins = 0;
          for (let k = 0; k < 4; k++) if (mask & (1 << t[k]!)) ins |= 1 << k;
          if (ins === 0 || ins === 15) continue;
          const inC: number[] = [], outC: number[] = [];
          for (let k = 0; k < 4; k++) (ins & (1 << k) ? inC : outC).push(t[k]!);
          if (inC.length === 1) {
            const i = inC[0]!;
            tri(vertexOn(i, outC[0]!), vertexOn(i, outC[1]!), vertexOn(i, outC[2]!), i);
          } else if (inC.length === 3) {
            const o = outC[0]!;
            tri(vertexOn(inC[0]!, o), vertexOn(inC[1]!, o), vertexOn(inC[2]!, o), inC[0]!);
          } else {
            // Two in (a, b), two out (c, d): the quad ac-ad-bd-bc.
            const [a, b] = inC as [number, number], [c, d] = outC as [number, number];
            const ac = vertexOn(a, c), ad = vertexOn(a, d), bd = vertexOn(b, d), bc = vertexOn(b, c);
            tri(ac, ad, bd, a);
            tri(ac, bd, bc, b);
          }
        }
      }
    }
  }
  return { positions: pos.a.slice(0, pos.n), indices: idx.a.slice(0, idx.n) };
}

/** A 3×3×3 box blur of a 0/1 mask (separable, three passes), for a rounder iso-surface at 0.5. */
export function smoothMask(mask: ArrayLike<number>, shape: Shape3): Float32Array {
  const { x: sx, y: sy, z: sz } = shape;
  let a = Float32Array.from(mask as ArrayLike<number>);
  let b = new Float32Array(a.length);
  const strides = [1, sx, sx * sy];
  const dims = [sx, sy, sz];
  for (let axis = 0; axis < 3; axis++) {
    const s = strides[axis]!, n = dims[axis]!;
    for (let i = 0; i < a.length; i++) {
      const p = Math.floor(i / s) % n;
      let v = a[i]!;
      if (p > 0) v += a[i - s]!;
      if (p < n - 1) v += a[i + s]!;
      b[i] = v / 3;
    }
    [a, b] = [b, a];
  }
  return a;
}

/** Total triangle area (in the mesh's units, optionally scaled per axis). */
export function meshArea(m: Mesh, scale: Shape3 = { x: 1, y: 1, z: 1 }): number {
  const P = m.positions, I = m.indices;
  let area = 0;
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t]!, b = 3 * I[t + 1]!, c = 3 * I[t + 2]!;
    const ux = (P[b]! - P[a]!) * scale.x, uy = (P[b + 1]! - P[a + 1]!) * scale.y, uz = (P[b + 2]! - P[a + 2]!) * scale.z;
    const vx = (P[c]! - P[a]!) * scale.x, vy = (P[c + 1]! - P[a + 1]!) * scale.y, vz = (P[c + 2]! - P[a + 2]!) * scale.z;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    area += Math.sqrt(nx * nx + ny * ny + nz * nz) / 2;
  }
  return area;
}

/** Signed volume enclosed by a closed, outward-oriented mesh (divergence theorem). */
export function meshVolume(m: Mesh): number {
  const P = m.positions, I = m.indices;
  let v = 0;
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t]!, b = 3 * I[t + 1]!, c = 3 * I[t + 2]!;
    v += P[a]! * (P[b + 1]! * P[c + 2]! - P[b + 2]! * P[c + 1]!) - P[a + 1]! * (P[b]! * P[c + 2]! - P[b + 2]! * P[c]!) + P[a + 2]! * (P[b]! * P[c + 1]! - P[b + 1]! * P[c]!);
  }
  return v / 6;
}
