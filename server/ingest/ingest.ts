/**
 * ingestVolume: a folder of slices (+ optional label volumes) → one dataset folder in the store.
 * Everything is written into `<store>/.tmp-<slug>-<random>/` and renamed to `<store>/<slug>` at the
 * end; on any error (or abort) the temp folder is removed and the store is left as it was.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { defaultConcurrency } from "./concurrency";
import { IngestError } from "./errors";
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_TILE_SIZE,
  MANIFEST_VERSION,
  manifestSchema,
  type LabelKind,
  type Manifest,
  type Shape3,
  type SupervoxelStats,
} from "./manifest";
import { checkLabelFile, readLabels } from "./read-labels";
import { probeSlices } from "./read-slices";
import { resolveSlug } from "./slug";
import { computeSupervoxelStats } from "./supervoxel-stats";
import {
  assertSlugFree,
  commitTempDir,
  createTempDir,
  writeJson,
  writeLabelChunks,
  writeTiles,
} from "./write-store";

export { IngestError } from "./errors";
export type { Manifest } from "./manifest";

export const INGEST_STAGES = [
  "check-slices",
  "read-supervoxels",
  "supervoxel-stats",
  "supervoxel-chunks",
  "read-ground-truth",
  "ground-truth-chunks",
  "tiles",
  "finalize",
] as const;
export type IngestStage = (typeof INGEST_STAGES)[number];

/** Units of `done/total` per stage, for display. */
export const STAGE_UNITS: Record<IngestStage, string> = {
  "check-slices": "slices",
  "read-supervoxels": "z slices",
  "supervoxel-stats": "z slices",
  "supervoxel-chunks": "chunks",
  "read-ground-truth": "z slices",
  "ground-truth-chunks": "chunks",
  tiles: "slices",
  finalize: "steps",
};

export type IngestProgress = { stage: IngestStage; done: number; total: number };

export type IngestOptions = {
  /** Folder of slice images (PNG, TIFF), z = natural order of the file names. */
  source: string;
  name: string;
  /** Defaults to the lower-case kebab of `name`. */
  slug?: string;
  /** nm */
  voxelSize: { x: number; y: number; z: number };
  /** gzip of raw LE uint32, z,y,x, same shape as the slices. */
  supervoxels?: string;
  groundTruth?: string;
  storeDir: string;
  license?: string;
  attribution?: string;
  /** Overwrite an existing dataset with the same slug (otherwise refused). */
  replace?: boolean;
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
  /** Defaults 256 / 64 (docs/contracts.md); other values only for tests. */
  tileSize?: number;
  chunkSize?: number;
  /** Concurrent encode/compress jobs (default: small, from the CPU count). */
  concurrency?: number;
};

export const DEFAULT_LICENSE = "unspecified";

function validateOptions(opts: IngestOptions): void {
  if (typeof opts.name !== "string" || opts.name.trim() === "") throw new IngestError("name must not be empty");
  const v = opts.voxelSize;
  for (const axis of ["x", "y", "z"] as const) {
    const n = v?.[axis];
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) {
      throw new IngestError(`voxel size ${axis} must be a positive number (got ${String(n)})`);
    }
  }
  for (const [k, n] of [
    ["tileSize", opts.tileSize],
    ["chunkSize", opts.chunkSize],
  ] as const) {
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new IngestError(`${k} must be a positive integer`);
  }
  if (!opts.storeDir) throw new IngestError("storeDir must be given");
}

export async function ingestVolume(opts: IngestOptions): Promise<Manifest> {
  validateOptions(opts);
  const name = opts.name.trim();
  const slug = resolveSlug(name, opts.slug);
  const storeDir = path.resolve(opts.storeDir);
  const replace = opts.replace ?? false;
  const tileSize = opts.tileSize ?? DEFAULT_TILE_SIZE;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const concurrency = opts.concurrency ?? defaultConcurrency();
  const { signal } = opts;
  const progress = (stage: IngestStage) => (done: number, total: number) => opts.onProgress?.({ stage, done, total });

  // ---- everything checkable before writing a byte
  await assertSlugFree(storeDir, slug, replace);
  const slices = await probeSlices(opts.source, { concurrency: 8, onProgress: progress("check-slices"), signal });
  const shape: Shape3 = { x: slices.width, y: slices.height, z: slices.depth };
  if (opts.supervoxels) await checkLabelFile(opts.supervoxels, shape);
  if (opts.groundTruth) await checkLabelFile(opts.groundTruth, shape);
  signal?.throwIfAborted();

  const tmp = await createTempDir(storeDir, slug);
  try {
    // ---- labels first (a wrong length fails fast, before the long tile stage); one volume in memory at a time
    let stats: SupervoxelStats = { ids: [], sizes: [], centroids: [] };
    const labelStage = async (kind: LabelKind, file: string) => {
      const sv = kind === "supervoxels";
      const labels = await readLabels(file, shape, {
        onProgress: progress(sv ? "read-supervoxels" : "read-ground-truth"),
        signal,
      });
      if (sv) stats = computeSupervoxelStats(labels, shape, progress("supervoxel-stats"));
      signal?.throwIfAborted();
      await writeLabelChunks(tmp, kind, labels, shape, chunkSize, {
        concurrency,
        onProgress: progress(sv ? "supervoxel-chunks" : "ground-truth-chunks"),
        signal,
      });
    };
    if (opts.supervoxels) await labelStage("supervoxels", opts.supervoxels);
    if (opts.groundTruth) await labelStage("ground-truth", opts.groundTruth);

    // ---- tile pyramid
    const levels = await writeTiles(tmp, slices, tileSize, { concurrency, onProgress: progress("tiles"), signal });

    // ---- JSON + swap into place
    const fin = progress("finalize");
    fin(0, 2);
    const manifest: Manifest = manifestSchema.parse({
      version: MANIFEST_VERSION,
      slug,
      name,
      shape,
      voxelSize: { x: opts.voxelSize.x, y: opts.voxelSize.y, z: opts.voxelSize.z },
      tileSize,
      levels,
      chunkSize,
      hasSupervoxels: Boolean(opts.supervoxels),
      hasGroundTruth: Boolean(opts.groundTruth),
      supervoxelCount: stats.ids.length,
      license: opts.license ?? DEFAULT_LICENSE,
      attribution: opts.attribution ?? "",
      createdAt: new Date().toISOString(),
    } satisfies Manifest);
    await writeJson(path.join(tmp, "supervoxels.json"), stats, false);
    await writeJson(path.join(tmp, "manifest.json"), manifest);
    fin(1, 2);
    signal?.throwIfAborted();
    await commitTempDir(tmp, storeDir, slug, replace);
    fin(2, 2);
    return manifest;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
