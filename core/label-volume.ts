// Label arrays (supervoxel or body ids) in C order, z slowest: index = (z*sy + y)*sx + x.
import { type Box, type Vec3, boxSize, chunkBox, chunkKey, chunksForBox, clampBox } from "./volume";

export class LabelVolume {
  readonly data: Uint32Array;
  readonly shape: Vec3;

  constructor(data: Uint32Array, shape: Vec3) {
    if (data.length !== shape.x * shape.y * shape.z) {
      throw new Error(`label array has ${data.length} values, shape needs ${shape.x * shape.y * shape.z}`);
    }
    this.data = data;
    this.shape = shape;
  }

  index(x: number, y: number, z: number): number {
    return (z * this.shape.y + y) * this.shape.x + x;
  }

  contains(x: number, y: number, z: number): boolean {
    const s = this.shape;
    return x >= 0 && y >= 0 && z >= 0 && x < s.x && y < s.y && z < s.z;
  }

  /** Label at a voxel; 0 (background) outside the volume, so callers can probe neighbours freely. */
  get(x: number, y: number, z: number): number {
    if (!this.contains(x, y, z)) return 0;
    return this.data[this.index(x, y, z)] ?? 0;
  }

  static assembleBox = assembleBox;
}

/**
 * Copy the chunks covering `box` into one zyx array of the box's size.
 * `chunks` maps chunkKey → chunk data (zyx, dims clipped to the volume). A missing chunk reads as 0,
 * so a view can draw while chunks are still loading. The box is clipped to the volume first.
 */
export function assembleBox(
  box: Box,
  chunks: Map<string, Uint32Array>,
  chunkSize: number,
  shape: Vec3,
): Uint32Array {
  const b = clampBox(box, shape);
  const bs = boxSize(b);
  const out = new Uint32Array(bs.x * bs.y * bs.z);
  for (const { cx, cy, cz } of chunksForBox(b, chunkSize)) {
    const data = chunks.get(chunkKey(cx, cy, cz));
    if (!data) continue;
    const cb = chunkBox(cx, cy, cz, chunkSize, shape);
    const cs = boxSize(cb);
    if (data.length !== cs.x * cs.y * cs.z) {
      throw new Error(
        `chunk ${chunkKey(cx, cy, cz)} has ${data.length} values, expected ${cs.x}x${cs.y}x${cs.z}`,
      );
    }
    // Intersection of the chunk with the box.
    const x0 = Math.max(b.x0, cb.x0);
    const x1 = Math.min(b.x1, cb.x1);
    const y0 = Math.max(b.y0, cb.y0);
    const y1 = Math.min(b.y1, cb.y1);
    const z0 = Math.max(b.z0, cb.z0);
    const z1 = Math.min(b.z1, cb.z1);
    const w = x1 - x0;
    for (let z = z0; z < z1; z++) {
      for (let y = y0; y < y1; y++) {
        let src = ((z - cb.z0) * cs.y + (y - cb.y0)) * cs.x + (x0 - cb.x0);
        let dst = ((z - b.z0) * bs.y + (y - b.y0)) * bs.x + (x0 - b.x0);
        // Element loop rather than set(subarray()): rows are short and views would allocate per row.
        for (let i = 0; i < w; i++) out[dst++] = data[src++]!;
      }
    }
  }
  return out;
}

export type SupervoxelStats = {
  /** Ascending, without 0. */
  ids: Uint32Array;
  /** Voxel count per id. */
  sizes: Uint32Array;
  /** Mean voxel position per id, x,y,z triples in full-volume voxel coordinates. */
  centroids: Float64Array;
};

/** Per-label voxel counts and centroids over the whole volume, ignoring 0. One pass. */
export function supervoxelStats(labels: Uint32Array, shape: Vec3): SupervoxelStats {
  return statsInBox(labels, shape, { x0: 0, y0: 0, z0: 0, x1: shape.x, y1: shape.y, z1: shape.z });
}

/** Same as supervoxelStats, counting only voxels inside `box` (clipped to the volume). */
export function statsInBox(labels: Uint32Array, shape: Vec3, box: Box): SupervoxelStats {
  if (labels.length !== shape.x * shape.y * shape.z) {
    throw new Error(`label array has ${labels.length} values, shape needs ${shape.x * shape.y * shape.z}`);
  }
  const b = clampBox(box, shape);
  const slotOf = new Map<number, number>();
  let cap = 256;
  let n = 0;
  let slotIds = new Uint32Array(cap);
  let cnt = new Float64Array(cap);
  let sx = new Float64Array(cap);
  let sy = new Float64Array(cap);
  let sz = new Float64Array(cap);

  for (let z = b.z0; z < b.z1; z++) {
    for (let y = b.y0; y < b.y1; y++) {
      let i = (z * shape.y + y) * shape.x + b.x0;
      // Labels come in runs along x; cache the slot so the Map is hit once per run, not per voxel.
      let prev = 0;
      let slot = -1;
      for (let x = b.x0; x < b.x1; x++, i++) {
        const id = labels[i]!;
        if (id === 0) continue;
        if (id !== prev) {
          prev = id;
          const s = slotOf.get(id);
          if (s === undefined) {
            if (n === cap) {
              cap *= 2;
              slotIds = grow(slotIds, new Uint32Array(cap));
              cnt = grow(cnt, new Float64Array(cap));
              sx = grow(sx, new Float64Array(cap));
              sy = grow(sy, new Float64Array(cap));
              sz = grow(sz, new Float64Array(cap));
            }
            slot = n++;
            slotIds[slot] = id;
            slotOf.set(id, slot);
          } else {
            slot = s;
          }
        }
        cnt[slot]! += 1;
        sx[slot]! += x;
        sy[slot]! += y;
        sz[slot]! += z;
      }
    }
  }

  const ids = slotIds.slice(0, n).sort();
  const sizes = new Uint32Array(n);
  const centroids = new Float64Array(3 * n);
  for (let k = 0; k < n; k++) {
    const s = slotOf.get(ids[k]!)!;
    const c = cnt[s]!;
    sizes[k] = c;
    centroids[3 * k] = sx[s]! / c;
    centroids[3 * k + 1] = sy[s]! / c;
    centroids[3 * k + 2] = sz[s]! / c;
  }
  return { ids, sizes, centroids };
}

function grow<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
