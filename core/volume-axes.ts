/**
 * Re-slicing a z,y,x volume along another axis, and back: the 2.5D boundary model is run on xy, xz and
 * yz slices alike (it was trained on crops of all three planes), so a membrane that lies almost flat in
 * the xy plane, invisible on xy slices, is seen edge-on on the others.
 *
 * `resliced(a, d, axis)` returns the volume with `axis` as its slicing (outermost) axis:
 *   "z": a itself;  "y": out[y][z][x], dims { x: X, y: Z, z: Y };  "x": out[x][z][y], dims { x: Y, y: Z, z: X }.
 * `addResliced` adds such a volume back into z,y,x order.
 */
import type { Vec3 } from "./volume";

export type SliceAxis = "x" | "y" | "z";

export function reslicedDims(d: Vec3, axis: SliceAxis): Vec3 {
  return axis === "z" ? { ...d } : axis === "y" ? { x: d.x, y: d.z, z: d.y } : { x: d.y, y: d.z, z: d.x };
}

/** Index in the resliced volume of voxel (x, y, z). */
function reslicedIndex(d: Vec3, axis: SliceAxis, x: number, y: number, z: number): number {
  return axis === "z" ? (z * d.y + y) * d.x + x : axis === "y" ? (y * d.z + z) * d.x + x : (x * d.z + z) * d.y + y;
}

export function resliced<T extends Uint8Array | Uint32Array | Float32Array>(a: T, d: Vec3, axis: SliceAxis): T {
  if (a.length !== d.x * d.y * d.z) throw new Error(`volume has ${a.length} voxels, dims need ${d.x * d.y * d.z}`);
  const out = new (a.constructor as new (n: number) => T)(a.length);
  if (axis === "z") {
    out.set(a);
    return out;
  }
  for (let z = 0, i = 0; z < d.z; z++)
    for (let y = 0; y < d.y; y++) {
      // Along x the resliced index moves by a fixed stride: no per-voxel index maths.
      let j = reslicedIndex(d, axis, 0, y, z);
      const step = axis === "y" ? 1 : d.z * d.y;
      for (let x = 0; x < d.x; x++, i++, j += step) out[j] = a[i]!;
    }
  return out;
}

/** acc[z,y,x] += b[resliced index of (x, y, z)] for a `b` resliced along `axis` from dims `d`. */
export function addResliced(acc: Uint16Array | Float32Array, b: ArrayLike<number>, d: Vec3, axis: SliceAxis): void {
  if (acc.length !== d.x * d.y * d.z || b.length !== acc.length) throw new Error("volumes differ in size");
  for (let z = 0, i = 0; z < d.z; z++)
    for (let y = 0; y < d.y; y++) {
      let j = reslicedIndex(d, axis, 0, y, z);
      const step = axis === "z" || axis === "y" ? 1 : d.z * d.y;
      for (let x = 0; x < d.x; x++, i++, j += step) acc[i] = acc[i]! + b[j]!;
    }
}
