/**
 * Per-supervoxel statistics for supervoxels.json, in one pass over the label array.
 * (Local helper; core/label-volume.ts may grow a shared `supervoxelStats` later.)
 */
import type { Shape3, SupervoxelStats } from "./manifest";

/**
 * ids (ascending), voxel counts and centroids (mean voxel coordinate, x,y,z triples, 3 decimals)
 * of every non-zero label. One pass: a Map from label to slot, consulted only when the label
 * changes along a row (labels come in runs), with per-slot sums in growable typed arrays.
 */
export function computeSupervoxelStats(
  labels: Uint32Array,
  shape: Shape3,
  onProgress?: (slicesDone: number, slices: number) => void,
): SupervoxelStats {
  const { x: sx, y: sy, z: sz } = shape;
  if (labels.length !== sx * sy * sz) {
    throw new Error(`label array has ${labels.length} voxels, shape needs ${sx * sy * sz}`);
  }
  onProgress?.(0, sz);
  const slotOf = new Map<number, number>();
  let cap = 1024;
  let ids = new Uint32Array(cap);
  let count = new Float64Array(cap);
  let sumX = new Float64Array(cap);
  let sumY = new Float64Array(cap);
  let sumZ = new Float64Array(cap);
  let n = 0;
  const grow = () => {
    cap *= 2;
    const g = <T extends Uint32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(cap);
      b.set(a);
      return b;
    };
    ids = g(ids);
    count = g(count);
    sumX = g(sumX);
    sumY = g(sumY);
    sumZ = g(sumZ);
  };

  let i = 0;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      let x = 0;
      while (x < sx) {
        const label = labels[i]!;
        // extent of the run of this label along the row
        let x1 = x + 1;
        let j = i + 1;
        while (x1 < sx && labels[j] === label) {
          x1++;
          j++;
        }
        if (label !== 0) {
          let slot = slotOf.get(label);
          if (slot === undefined) {
            if (n === cap) grow();
            slot = n++;
            slotOf.set(label, slot);
            ids[slot] = label;
          }
          const len = x1 - x;
          count[slot]! += len;
          sumX[slot]! += (len * (x + x1 - 1)) / 2; // sum of x over the run
          sumY[slot]! += len * y;
          sumZ[slot]! += len * z;
        }
        i = j;
        x = x1;
      }
    }
    onProgress?.(z + 1, sz);
  }

  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => ids[a]! - ids[b]!);
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const out: SupervoxelStats = { ids: new Array(n), sizes: new Array(n), centroids: new Array(3 * n) };
  order.forEach((slot, k) => {
    const c = count[slot]!;
    out.ids[k] = ids[slot]!;
    out.sizes[k] = c;
    out.centroids[3 * k] = r3(sumX[slot]! / c);
    out.centroids[3 * k + 1] = r3(sumY[slot]! / c);
    out.centroids[3 * k + 2] = r3(sumZ[slot]! / c);
  });
  return out;
}
