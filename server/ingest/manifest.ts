/**
 * manifest.json of a dataset in the store (docs/contracts.md, "Data store").
 * Pure module (zod only, no node:*), so the server and the browser can both import it.
 */
import { z } from "zod";
import { SLUG_MAX_LENGTH, SLUG_RE } from "./slug";

export const MANIFEST_VERSION = 1;
export const DEFAULT_TILE_SIZE = 256;
export const DEFAULT_CHUNK_SIZE = 64;

const positiveInt = z.int().positive();
const shapeSchema = z.object({ x: positiveInt, y: positiveInt, z: positiveInt });
const voxelSizeSchema = z.object({ x: z.number().positive(), y: z.number().positive(), z: z.number().positive() });

export const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  slug: z.string().regex(SLUG_RE).max(SLUG_MAX_LENGTH),
  name: z.string().min(1),
  shape: shapeSchema,
  voxelSize: voxelSizeSchema, // nm
  tileSize: positiveInt,
  levels: positiveInt,
  chunkSize: positiveInt,
  hasSupervoxels: z.boolean(),
  hasGroundTruth: z.boolean(),
  supervoxelCount: z.int().nonnegative(),
  /** Where the supervoxels came from: the boundary model at ingest, or a --supervoxels file (docs/model-contract.md). */
  supervoxelSource: z.enum(["model", "file"]).optional(),
  /** graph.json (region adjacency graph with merge scores) was written. */
  hasRegionGraph: z.boolean().optional(),
  license: z.string(),
  attribution: z.string(),
  createdAt: z.iso.datetime(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type Shape3 = Manifest["shape"];
export type VoxelSize = Manifest["voxelSize"];

/** `supervoxels.json`: parallel arrays; centroids are x,y,z triples in voxels (mean voxel coordinate). */
export const supervoxelStatsSchema = z
  .object({
    ids: z.array(z.int().positive()),
    sizes: z.array(z.int().positive()),
    centroids: z.array(z.number()),
  })
  .refine((s) => s.sizes.length === s.ids.length && s.centroids.length === 3 * s.ids.length, {
    message: "ids, sizes and centroids (x,y,z triples) must have matching lengths",
  });
export type SupervoxelStats = z.infer<typeof supervoxelStatsSchema>;

/** Parse a manifest read back from disk (throws a ZodError on a malformed one). */
export function parseManifest(json: unknown): Manifest {
  return manifestSchema.parse(json);
}

// ---- Layout helpers (paths relative to <store>/<slug>/) ----

/** Number of pyramid levels: level L halves x and y L times (rounding up) until the slice fits one tile. */
export function levelCount(width: number, height: number, tileSize: number): number {
  let levels = 1;
  let w = width;
  let h = height;
  while (w > tileSize || h > tileSize) {
    w = Math.ceil(w / 2);
    h = Math.ceil(h / 2);
    levels++;
  }
  return levels;
}

/** Size in pixels of a slice at pyramid level L: ceil(size / 2^L). */
export function levelSize(shape: { x: number; y: number }, level: number): { width: number; height: number } {
  const f = 2 ** level;
  return { width: Math.ceil(shape.x / f), height: Math.ceil(shape.y / f) };
}

/** Tile grid at level L: tiles `ty` in [0, rows), `tx` in [0, cols). Edge tiles are smaller. */
export function tileGrid(
  shape: { x: number; y: number },
  level: number,
  tileSize: number,
): { cols: number; rows: number; width: number; height: number } {
  const { width, height } = levelSize(shape, level);
  return { cols: Math.ceil(width / tileSize), rows: Math.ceil(height / tileSize), width, height };
}

export function tilePath(level: number, z: number, ty: number, tx: number): string {
  return `tiles/${level}/${z}/${ty}_${tx}.png`;
}

export type LabelKind = "supervoxels" | "ground-truth";

export function chunkPath(kind: LabelKind, cx: number, cy: number, cz: number): string {
  return `labels/${kind}/${cx}_${cy}_${cz}.u32.gz`;
}

/** Dimensions of chunk (cx,cy,cz): min(chunkSize, shape - origin) per axis. */
export function chunkDims(shape: Shape3, chunkSize: number, cx: number, cy: number, cz: number): Shape3 {
  return {
    x: Math.min(chunkSize, shape.x - cx * chunkSize),
    y: Math.min(chunkSize, shape.y - cy * chunkSize),
    z: Math.min(chunkSize, shape.z - cz * chunkSize),
  };
}

export function chunkGrid(shape: Shape3, chunkSize: number): Shape3 {
  return {
    x: Math.ceil(shape.x / chunkSize),
    y: Math.ceil(shape.y / chunkSize),
    z: Math.ceil(shape.z / chunkSize),
  };
}
