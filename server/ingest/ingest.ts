/**
 * ingestVolume: a folder of slices (+ optional label volumes) → one dataset folder in the store.
 * Everything is written into `<store>/.tmp-<slug>-<random>/` and renamed to `<store>/<slug>` at the
 * end; on any error (or abort) the temp folder is removed and the store is left as it was.
 */
import { rm } from "node:fs/promises";
import { tilePlan, DEFAULT_OVERLAP, DEFAULT_TILE } from "@/core/model-io";
import { makeSupervoxels, type SupervoxelParams } from "@/core/supervoxels";
import { regionGraphToJson, buildRegionGraph } from "@/core/region-graph";
import { checkModelFits, DEFAULT_MODEL_PATH, loadBoundaryModel, predictBoundaryVolume, type BoundaryModel } from "./boundary-model";
import path from "node:path";
import { defaultConcurrency, forEachLimit } from "./concurrency";
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
import { probeSlices, readSlice } from "./read-slices";
import type { VolumeSource } from "./formats/volume";
import { resolveSlug } from "./slug";
import { computeSupervoxelStats } from "./supervoxel-stats";
import {
  assertSlugFree,
  commitTempDir,
  createTempDir,
  removeStaleTempDirs,
  writeJson,
  writeLabelChunks,
  writeTiles,
} from "./write-store";

export { IngestError } from "./errors";
export type { Manifest } from "./manifest";

export const INGEST_STAGES = [
  "check-slices",
  "check-model",
  "read-slices",
  "boundary-model",
  "watershed",
  "agglomerate",
  "read-supervoxels",
  "supervoxel-stats",
  "supervoxel-chunks",
  "region-graph",
  "read-ground-truth",
  "ground-truth-chunks",
  "tiles",
  "finalize",
] as const;
export type IngestStage = (typeof INGEST_STAGES)[number];

/** Units of `done/total` per stage, for display. */
export const STAGE_UNITS: Record<IngestStage, string> = {
  "check-slices": "slices",
  "check-model": "steps",
  "read-slices": "slices",
  "boundary-model": "z slices",
  watershed: "steps",
  agglomerate: "steps",
  "read-supervoxels": "z slices",
  "supervoxel-stats": "z slices",
  "supervoxel-chunks": "chunks",
  "region-graph": "steps",
  "read-ground-truth": "z slices",
  "ground-truth-chunks": "chunks",
  tiles: "slices",
  finalize: "steps",
};

export type IngestProgress = { stage: IngestStage; done: number; total: number };

export type IngestOptions = {
  /**
   * Folder of slice images (PNG, TIFF), z = natural order of the file names; or an opened volume of
   * another format (server/ingest/formats/open.ts).
   */
  source: string | VolumeSource;
  name: string;
  /** Defaults to the lower-case kebab of `name`. */
  slug?: string;
  /** nm */
  voxelSize: { x: number; y: number; z: number };
  /** gzip of raw LE uint32, z,y,x, same shape as the slices; or the labels already decoded (formats). */
  supervoxels?: string | Uint32Array;
  /**
   * Boundary model (ONNX, docs/model-contract.md). Default: when no `supervoxels` file is given,
   * public/models/boundary.onnx makes the supervoxels (watershed + agglomeration). Given together
   * with `supervoxels`, it only scores that file's region graph. `false`: no model at all.
   */
  model?: string | false;
  /** Overrides of the tuned supervoxel parameters (core/supervoxels.ts). */
  supervoxelParams?: Partial<SupervoxelParams>;
  groundTruth?: string | Uint32Array;
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

/** A slice folder becomes a VolumeSource after every header was checked; an opened volume is taken as is. */
async function sliceSource(source: string | VolumeSource, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<VolumeSource> {
  if (typeof source !== "string") {
    onProgress(source.depth, source.depth);
    return source;
  }
  const set = await probeSlices(source, { concurrency: 8, onProgress, signal });
  return { describe: set.folder, width: set.width, height: set.height, depth: set.depth, readSlice: (z) => readSlice(set.files[z]!, set) };
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

  // ---- everything checkable before writing a byte; first, what a killed run of this slug left behind
  await removeStaleTempDirs(storeDir, slug);
  await assertSlugFree(storeDir, slug, replace);
  const slices = await sliceSource(opts.source, progress("check-slices"), signal);
  const shape: Shape3 = { x: slices.width, y: slices.height, z: slices.depth };
  for (const [what, l] of [
    ["supervoxels", opts.supervoxels],
    ["ground truth", opts.groundTruth],
  ] as const) {
    if (typeof l === "string") await checkLabelFile(l, shape);
    else if (l && l.length !== shape.x * shape.y * shape.z) {
      throw new IngestError(`${slices.describe}: ${what} have ${l.length} voxels but the image has ${shape.x * shape.y * shape.z}`, slices.describe);
    }
  }
  const modelFile = opts.model === false ? null : (opts.model ?? (opts.supervoxels ? null : DEFAULT_MODEL_PATH));
  let model: BoundaryModel | null = null;
  if (modelFile) {
    // a missing, corrupt or misfitting model stops ingest here, before anything is written
    const step = progress("check-model");
    step(0, 2);
    model = await loadBoundaryModel(modelFile);
    step(1, 2);
    try {
      await checkModelFits(model, tilePlan(shape.x, shape.y, DEFAULT_TILE, DEFAULT_OVERLAP));
    } catch (e) {
      await model.close().catch(() => {});
      throw e;
    }
    step(2, 2);
  }
  signal?.throwIfAborted();

  const tmp = await createTempDir(storeDir, slug).catch(async (e: unknown) => {
    await model?.close().catch(() => {});
    throw e;
  });
  try {
    let stats: SupervoxelStats = { ids: [], sizes: [], centroids: [] };
    // ---- the boundary model over the whole volume (tiled with overlap), then supervoxels
    let boundary: Uint8Array | null = null;
    let modelLabels: Uint32Array | null = null;
    if (model) {
      try {
        const plane = shape.x * shape.y;
        const grey = new Uint8Array(plane * shape.z);
        const read = progress("read-slices");
        let done = 0;
        read(0, shape.z);
        await forEachLimit(
          shape.z,
          concurrency,
          async (z) => {
            grey.set(await slices.readSlice(z), z * plane);
            read(++done, shape.z);
          },
          signal,
        );
        boundary = await predictBoundaryVolume(model, grey, shape, { onProgress: progress("boundary-model"), signal });
      } finally {
        await model.close().catch(() => {});
      }
      signal?.throwIfAborted();
      if (!opts.supervoxels) {
        const ws = progress("watershed");
        const ag = progress("agglomerate");
        // seeds + watershed, then region graph + agglomeration + final graph
        let wsDone = 0;
        let agDone = 0;
        ws(0, 2);
        const r = makeSupervoxels(boundary, shape, opts.supervoxelParams, (stage, done) => {
          if (stage === "seeds" || stage === "watershed") {
            if (done) ws(++wsDone, 2);
          } else if (!done) {
            if (agDone === 0) ag(0, 3); // the agglomerate stage starts with the first region graph
          } else ag(++agDone, 3);
        });
        if (r.count === 0) {
          throw new IngestError(
            `the boundary model ${model.file} found no cell interior anywhere in the volume (is it 8-bit EM with dark membranes?); pass --supervoxels to bring your own`,
            model.file,
          );
        }
        modelLabels = r.labels;
      }
    }

    // ---- labels before the long tile stage (a wrong length fails fast); one volume in memory at a time
    let hasRegionGraph = false;
    const writeGraph = async (labels: Uint32Array) => {
      if (!boundary) return;
      hasRegionGraph = true;
      const step = progress("region-graph");
      step(0, 1);
      await writeJson(path.join(tmp, "graph.json"), regionGraphToJson(buildRegionGraph(labels, boundary, shape)), false);
      step(1, 1);
    };
    const labelStage = async (kind: LabelKind, file: string | Uint32Array) => {
    // (a decoded label array from a format reader goes straight to the chunk writer)
      const sv = kind === "supervoxels";
      const labels =
        typeof file === "string"
          ? await readLabels(file, shape, {
              onProgress: progress(sv ? "read-supervoxels" : "read-ground-truth"),
              signal,
            })
          : file;
      if (sv) stats = computeSupervoxelStats(labels, shape, progress("supervoxel-stats"));
      signal?.throwIfAborted();
      await writeLabelChunks(tmp, kind, labels, shape, chunkSize, {
        concurrency,
        onProgress: progress(sv ? "supervoxel-chunks" : "ground-truth-chunks"),
        signal,
      });
      if (sv) await writeGraph(labels);
    };
    let svInput: string | Uint32Array | null = opts.supervoxels ?? modelLabels;
    const hasSupervoxels = svInput !== null;
    modelLabels = null;
    if (svInput !== null) await labelStage("supervoxels", svInput);
    svInput = null; // let the label volumes go before the ground truth is read
    boundary = null;
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
      hasSupervoxels,
      hasGroundTruth: Boolean(opts.groundTruth),
      supervoxelCount: stats.ids.length,
      ...(hasSupervoxels ? { supervoxelSource: opts.supervoxels ? "file" : "model" } : {}),
      hasRegionGraph,
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
