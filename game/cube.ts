/**
 * Assembly of the task cube from what the server sends: label chunks (zyx uint32, clipped to the
 * volume) and level-0 grey tiles (one z slice each). Pure functions, no DOM, so they are unit tested.
 *
 * Both cube arrays are C order over the box, z slowest: `index = (z * sy + y) * sx + x` with
 * cube-local coordinates (0 ≤ x < sx, …).
 */
import { type Box, type Vec3, boxSize } from "@/core/volume";

export type { Box, Vec3 };

/** Intersection of two boxes; null when empty. */
export function intersectBoxes(a: Box, b: Box): Box | null {
  const x0 = Math.max(a.x0, b.x0);
  const y0 = Math.max(a.y0, b.y0);
  const z0 = Math.max(a.z0, b.z0);
  const x1 = Math.min(a.x1, b.x1);
  const y1 = Math.min(a.y1, b.y1);
  const z1 = Math.min(a.z1, b.z1);
  if (x1 <= x0 || y1 <= y0 || z1 <= z0) return null;
  return { x0, y0, z0, x1, y1, z1 };
}

/**
 * Copy the part of one label chunk that lies inside `box` into `cube` (the box's zyx array).
 * `chunkBounds` is the chunk's voxel box, already clipped to the volume, and `chunk` its data
 * (length must equal the clipped dims' product). Returns the number of voxels copied.
 */
export function copyChunkIntoCube(
  cube: Uint32Array,
  box: Box,
  chunk: Uint32Array,
  chunkBounds: Box,
): number {
  const cs = boxSize(chunkBounds);
  if (chunk.length !== cs.x * cs.y * cs.z) {
    throw new Error(`label chunk has ${chunk.length} voxels, expected ${cs.x}×${cs.y}×${cs.z}`);
  }
  const bs = boxSize(box);
  if (cube.length !== bs.x * bs.y * bs.z) {
    throw new Error(`cube has ${cube.length} voxels, box needs ${bs.x * bs.y * bs.z}`);
  }
  const part = intersectBoxes(box, chunkBounds);
  if (!part) return 0;
  const rowLen = part.x1 - part.x0;
  let copied = 0;
  for (let z = part.z0; z < part.z1; z++) {
    for (let y = part.y0; y < part.y1; y++) {
      const src = ((z - chunkBounds.z0) * cs.y + (y - chunkBounds.y0)) * cs.x + (part.x0 - chunkBounds.x0);
      const dst = ((z - box.z0) * bs.y + (y - box.y0)) * bs.x + (part.x0 - box.x0);
      cube.set(chunk.subarray(src, src + rowLen), dst);
      copied += rowLen;
    }
  }
  return copied;
}

/** A level-0 grey tile: which tile, and the voxel rectangle of the slice it covers. */
export type TileRef = { ty: number; tx: number; x0: number; y0: number };

/** Level-0 tiles covering the box's x/y extent (the same set for every z). */
export function tilesForBox(box: Box, tileSize: number): TileRef[] {
  const out: TileRef[] = [];
  if (box.x1 <= box.x0 || box.y1 <= box.y0) return out;
  const tx0 = Math.floor(box.x0 / tileSize);
  const ty0 = Math.floor(box.y0 / tileSize);
  const tx1 = Math.floor((box.x1 - 1) / tileSize);
  const ty1 = Math.floor((box.y1 - 1) / tileSize);
  for (let ty = ty0; ty <= ty1; ty++)
    for (let tx = tx0; tx <= tx1; tx++) out.push({ ty, tx, x0: tx * tileSize, y0: ty * tileSize });
  return out;
}

/**
 * Copy the part of one decoded grey tile inside the box into `grey` (the box's zyx uint8 array) at
 * absolute slice `z`. `pixels` holds `width × height` pixels of `channels` bytes each (1 = grey,
 * 4 = RGBA from a canvas; the red channel is used). Returns the number of voxels copied.
 */
export function copyTileIntoCube(
  grey: Uint8Array,
  box: Box,
  z: number,
  tile: { x0: number; y0: number; width: number; height: number; channels: number; pixels: ArrayLike<number> },
): number {
  if (z < box.z0 || z >= box.z1) return 0;
  const bs = boxSize(box);
  const x0 = Math.max(box.x0, tile.x0);
  const y0 = Math.max(box.y0, tile.y0);
  const x1 = Math.min(box.x1, tile.x0 + tile.width);
  const y1 = Math.min(box.y1, tile.y0 + tile.height);
  if (x1 <= x0 || y1 <= y0) return 0;
  const ch = tile.channels;
  const { pixels } = tile;
  let copied = 0;
  for (let y = y0; y < y1; y++) {
    let src = ((y - tile.y0) * tile.width + (x0 - tile.x0)) * ch;
    let dst = ((z - box.z0) * bs.y + (y - box.y0)) * bs.x + (x0 - box.x0);
    for (let x = x0; x < x1; x++) {
      grey[dst++] = pixels[src] ?? 0;
      src += ch;
    }
    copied += x1 - x0;
  }
  return copied;
}
