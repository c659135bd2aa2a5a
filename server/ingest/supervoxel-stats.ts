/**
 * Per-supervoxel statistics for supervoxels.json: core's one-pass `supervoxelStats`, turned into the
 * JSON shape of the manifest (centroids rounded to 3 decimals).
 */
import { supervoxelStats } from "@/core/label-volume";
import type { Shape3, SupervoxelStats } from "./manifest";

export function computeSupervoxelStats(
  labels: Uint32Array,
  shape: Shape3,
  onProgress?: (slicesDone: number, slices: number) => void,
): SupervoxelStats {
  onProgress?.(0, shape.z);
  const s = supervoxelStats(labels, shape);
  onProgress?.(shape.z, shape.z);
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  return { ids: Array.from(s.ids), sizes: Array.from(s.sizes), centroids: Array.from(s.centroids, r3) };
}
