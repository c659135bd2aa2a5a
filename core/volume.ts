// Geometry of the voxel volume: boxes, chunks and the tile pyramid.
// Everything here is in full-resolution voxels; see docs/contracts.md.

export type Vec3 = { x: number; y: number; z: number };

/** Half-open box: x0 <= x < x1 (same for y, z). */
export type Box = { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number };

export type ChunkCoord = { cx: number; cy: number; cz: number };

/** Extent of a box per axis (never negative). */
export function boxSize(b: Box): Vec3 {
  return {
    x: Math.max(0, b.x1 - b.x0),
    y: Math.max(0, b.y1 - b.y0),
    z: Math.max(0, b.z1 - b.z0),
  };
}

/** Number of voxels in a box. */
export function boxVolume(b: Box): number {
  const s = boxSize(b);
  return s.x * s.y * s.z;
}

export function boxContains(b: Box, x: number, y: number, z: number): boolean {
  return x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 && z >= b.z0 && z < b.z1;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Intersect a box with the volume [0, shape). An empty result has x1 === x0 (etc.), never x1 < x0. */
export function clampBox(b: Box, shape: Vec3): Box {
  const x0 = clamp(b.x0, 0, shape.x);
  const y0 = clamp(b.y0, 0, shape.y);
  const z0 = clamp(b.z0, 0, shape.z);
  return {
    x0,
    y0,
    z0,
    x1: clamp(b.x1, x0, shape.x),
    y1: clamp(b.y1, y0, shape.y),
    z1: clamp(b.z1, z0, shape.z),
  };
}

// One axis of cubeAround: start at c - floor(s/2), then slide (not shrink) to fit in [0, n).
function axisAround(c: number, size: number, n: number): [number, number] {
  const s = Math.min(size, n);
  const lo = clamp(Math.round(c) - Math.floor(s / 2), 0, n - s);
  return [lo, lo + s];
}

/**
 * A cube of `size` voxels per side centred on `center`, slid to lie inside the volume.
 * It shrinks only along an axis where the volume itself is smaller than `size`.
 */
export function cubeAround(center: Vec3, size: number, shape: Vec3): Box {
  const s = Math.max(0, Math.floor(size));
  const [x0, x1] = axisAround(center.x, s, shape.x);
  const [y0, y1] = axisAround(center.y, s, shape.y);
  const [z0, z1] = axisAround(center.z, s, shape.z);
  return { x0, y0, z0, x1, y1, z1 };
}

/** Chunks that overlap a box, z slowest then y then x. Empty box → []. */
export function chunksForBox(b: Box, chunkSize: number): ChunkCoord[] {
  const out: ChunkCoord[] = [];
  if (b.x1 <= b.x0 || b.y1 <= b.y0 || b.z1 <= b.z0) return out;
  const cx0 = Math.floor(Math.max(0, b.x0) / chunkSize);
  const cy0 = Math.floor(Math.max(0, b.y0) / chunkSize);
  const cz0 = Math.floor(Math.max(0, b.z0) / chunkSize);
  const cx1 = Math.ceil(b.x1 / chunkSize);
  const cy1 = Math.ceil(b.y1 / chunkSize);
  const cz1 = Math.ceil(b.z1 / chunkSize);
  for (let cz = cz0; cz < cz1; cz++)
    for (let cy = cy0; cy < cy1; cy++) for (let cx = cx0; cx < cx1; cx++) out.push({ cx, cy, cz });
  return out;
}

/** The voxels of one chunk, clipped to the volume (edge chunks are smaller). */
export function chunkBox(cx: number, cy: number, cz: number, chunkSize: number, shape: Vec3): Box {
  return clampBox(
    {
      x0: cx * chunkSize,
      y0: cy * chunkSize,
      z0: cz * chunkSize,
      x1: (cx + 1) * chunkSize,
      y1: (cy + 1) * chunkSize,
      z1: (cz + 1) * chunkSize,
    },
    shape,
  );
}

/** "cx_cy_cz", the chunk's file stem and URL segment. */
export function chunkKey(cx: number, cy: number, cz: number): string {
  return `${cx}_${cy}_${cz}`;
}

const CHUNK_KEY = /^(\d{1,9})_(\d{1,9})_(\d{1,9})$/;

/** Inverse of chunkKey; null for anything malformed (so a URL handler can 404 instead of throwing). */
export function parseChunkKey(key: string): ChunkCoord | null {
  const m = CHUNK_KEY.exec(key);
  if (!m) return null;
  return { cx: Number(m[1]), cy: Number(m[2]), cz: Number(m[3]) };
}

/** Pixels along one axis at pyramid level L: ceil(extent / 2^L), at least 1 for a non-empty axis. */
export function levelExtent(extent: number, level: number): number {
  if (extent <= 0) return 0;
  return Math.max(1, Math.ceil(extent / 2 ** level));
}

/** Tiles along one axis at pyramid level L (edge tiles are partial). */
export function tileCount(extent: number, tileSize: number, level: number): number {
  return Math.ceil(levelExtent(extent, level) / tileSize);
}

/** Number of levels: level L halves x,y L times; the last level is the first whose slice fits one tile. */
export function pyramidLevels(width: number, height: number, tileSize: number): number {
  let level = 0;
  while (levelExtent(width, level) > tileSize || levelExtent(height, level) > tileSize) level++;
  return level + 1;
}
