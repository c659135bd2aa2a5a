/**
 * Writing a dataset folder of the store (docs/contracts.md, "Data store"): tile pyramid,
 * label chunks, JSON files, and the temp-folder → final-folder swap.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import sharp from "sharp";
import { forEachLimit } from "./concurrency";
import { IngestError } from "./errors";
import {
  chunkDims,
  chunkGrid,
  chunkPath,
  levelCount,
  tilePath,
  type LabelKind,
  type Shape3,
} from "./manifest";
import type { VolumeSource } from "./formats/volume";

const gzip = promisify(gzipCb);

export type Progress = (done: number, total: number) => void;

// ---------------------------------------------------------------- store folders

export async function pathExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

/** Throws IngestError if `<store>/<slug>` exists and `replace` is not set. */
export async function assertSlugFree(storeDir: string, slug: string, replace: boolean): Promise<void> {
  const final = path.join(storeDir, slug);
  if (!replace && (await pathExists(final))) {
    throw new IngestError(
      `dataset "${slug}" already exists in the store (${final}); choose another name/slug or pass replace (--replace) to overwrite it`,
      final,
    );
  }
}

const OWNER_FILE = ".owner.json";

/**
 * Create `<store>/.tmp-<slug>-<random>/` (and the store itself if needed), with a note of the process
 * that owns it, so a later run can tell a folder left by a killed ingest from one still being written.
 */
export async function createTempDir(storeDir: string, slug: string): Promise<string> {
  await mkdir(storeDir, { recursive: true });
  const tmp = path.join(storeDir, `.tmp-${slug}-${randomBytes(6).toString("hex")}`);
  await mkdir(tmp);
  await writeFile(path.join(tmp, OWNER_FILE), JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }));
  return tmp;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/**
 * Remove `<store>/.tmp-<slug>-*` folders whose owner is gone: a process on this host that no longer
 * runs (an ingest killed halfway), or no owner note at all. Folders of live ingests, and of other
 * hosts sharing the store, are left alone. Returns the folders removed.
 */
export async function removeStaleTempDirs(storeDir: string, slug: string): Promise<string[]> {
  const re = new RegExp(`^\\.tmp-${slug.replace(/[^a-z0-9-]/g, "")}-[0-9a-f]{12}$`);
  const names = await readdir(storeDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!re.test(name)) continue;
    const dir = path.join(storeDir, name);
    const owner = (await readFile(path.join(dir, OWNER_FILE), "utf8").then(
      (t) => JSON.parse(t) as { pid?: unknown; host?: unknown },
      () => null,
    )) as { pid?: unknown; host?: unknown } | null;
    const stale = !owner || (owner.host === os.hostname() && (typeof owner.pid !== "number" || !processAlive(owner.pid)));
    if (!stale) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * Move the finished temp folder to `<store>/<slug>`. With `replace`, an existing dataset is first
 * moved aside and deleted only after the swap succeeded (restored if it failed).
 */
export async function commitTempDir(tmp: string, storeDir: string, slug: string, replace: boolean): Promise<string> {
  const final = path.join(storeDir, slug);
  let old: string | undefined;
  if (await pathExists(final)) {
    if (!replace) {
      throw new IngestError(
        `dataset "${slug}" already exists in the store (${final}); choose another name/slug or pass replace (--replace) to overwrite it`,
        final,
      );
    }
    old = path.join(storeDir, `.old-${slug}-${randomBytes(6).toString("hex")}`);
    await rename(final, old);
  }
  await rm(path.join(tmp, OWNER_FILE), { force: true });
  try {
    await rename(tmp, final);
  } catch (e) {
    if (old) await rename(old, final).catch(() => {});
    throw e;
  }
  if (old) await rm(old, { recursive: true, force: true });
  return final;
}

export async function writeJson(file: string, value: unknown, pretty = true): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, pretty ? 2 : undefined) + "\n");
}

// ---------------------------------------------------------------- tiles

/**
 * 2×2 box filter: output is ceil(w/2) × ceil(h/2); each pixel is the rounded mean of its 2×2
 * block, an odd last row/column averaging only the pixels that exist.
 */
export function downsample2x(src: Uint8Array, w: number, h: number): { data: Uint8Array; width: number; height: number } {
  const w2 = Math.ceil(w / 2);
  const h2 = Math.ceil(h / 2);
  const out = new Uint8Array(w2 * h2);
  for (let y2 = 0; y2 < h2; y2++) {
    const r0 = 2 * y2 * w;
    const r1 = Math.min(2 * y2 + 1, h - 1) * w; // clamped: duplicates the last row → mean of what exists
    const o = y2 * w2;
    for (let x2 = 0; x2 < w2; x2++) {
      const c0 = 2 * x2;
      const c1 = Math.min(c0 + 1, w - 1);
      out[o + x2] = (src[r0 + c0]! + src[r0 + c1]! + src[r1 + c0]! + src[r1 + c1]! + 2) >> 2;
    }
  }
  return { data: out, width: w2, height: h2 };
}

/** Copy the tw×th region at (x0,y0) out of a w-wide image (returns `img` itself for a whole-image tile). */
export function extractTile(img: Uint8Array, w: number, x0: number, y0: number, tw: number, th: number): Uint8Array {
  if (x0 === 0 && y0 === 0 && tw === w && img.length === tw * th) return img;
  const out = new Uint8Array(tw * th);
  for (let y = 0; y < th; y++) {
    const s = (y0 + y) * w + x0;
    out.set(img.subarray(s, s + tw), y * tw);
  }
  return out;
}

/** 8-bit grey PNG of a raw row-major tile. */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .toColourspace("b-w") // otherwise sharp writes 1-channel raw input as RGB
    .png({ compressionLevel: 3, adaptiveFiltering: true }) // measured: same size as level 6, ~25% faster
    .toBuffer();
}

/** All tiles of one slice at every level (level L is level L-1 box-filtered 2×2). Returns tiles written. */
export async function writeSliceTiles(
  dir: string,
  z: number,
  slice: Uint8Array,
  width: number,
  height: number,
  tileSize: number,
  levels: number,
): Promise<number> {
  let img = slice;
  let w = width;
  let h = height;
  let written = 0;
  for (let level = 0; level < levels; level++) {
    if (level > 0) {
      const d = downsample2x(img, w, h);
      img = d.data;
      w = d.width;
      h = d.height;
    }
    await mkdir(path.join(dir, "tiles", String(level), String(z)), { recursive: true });
    const rows = Math.ceil(h / tileSize);
    const cols = Math.ceil(w / tileSize);
    const jobs: Promise<void>[] = [];
    for (let ty = 0; ty < rows; ty++) {
      for (let tx = 0; tx < cols; tx++) {
        const x0 = tx * tileSize;
        const y0 = ty * tileSize;
        const tw = Math.min(tileSize, w - x0);
        const th = Math.min(tileSize, h - y0);
        const pixels = extractTile(img, w, x0, y0, tw, th);
        jobs.push(
          encodeGreyPng(pixels, tw, th).then((png) => writeFile(path.join(dir, tilePath(level, z, ty, tx)), png)),
        );
      }
    }
    // all settle before returning, so nothing is still writing if one fails
    const results = await Promise.allSettled(jobs);
    for (const r of results) if (r.status === "rejected") throw r.reason;
    written += jobs.length;
  }
  return written;
}

/**
 * Decode every slice and write its tile pyramid under `<dir>/tiles/`. Slices are processed
 * `concurrency` at a time (decode + filter + encode; sharp/libvips work runs on libuv threads).
 * Returns the number of levels.
 */
export async function writeTiles(
  dir: string,
  slices: Pick<VolumeSource, "width" | "height" | "depth" | "readSlice">,
  tileSize: number,
  opts: { concurrency?: number; onProgress?: Progress; signal?: AbortSignal } = {},
): Promise<number> {
  const levels = levelCount(slices.width, slices.height, tileSize);
  let done = 0;
  opts.onProgress?.(0, slices.depth);
  await forEachLimit(
    slices.depth,
    opts.concurrency ?? 4,
    async (z) => {
      const pixels = await slices.readSlice(z);
      await writeSliceTiles(dir, z, pixels, slices.width, slices.height, tileSize, levels);
      opts.onProgress?.(++done, slices.depth);
    },
    opts.signal,
  );
  return levels;
}

// ---------------------------------------------------------------- label chunks

/** Copy chunk (cx,cy,cz) out of a z,y,x label volume (clipped at the edges, z,y,x C order). */
export function extractChunk(
  labels: Uint32Array,
  shape: Shape3,
  chunkSize: number,
  cx: number,
  cy: number,
  cz: number,
): { data: Uint32Array; dims: Shape3 } {
  const dims = chunkDims(shape, chunkSize, cx, cy, cz);
  const x0 = cx * chunkSize;
  const y0 = cy * chunkSize;
  const z0 = cz * chunkSize;
  const out = new Uint32Array(dims.x * dims.y * dims.z);
  let o = 0;
  for (let z = 0; z < dims.z; z++) {
    for (let y = 0; y < dims.y; y++) {
      const s = ((z0 + z) * shape.y + (y0 + y)) * shape.x + x0;
      out.set(labels.subarray(s, s + dims.x), o);
      o += dims.x;
    }
  }
  return { data: out, dims };
}

/** Little-endian bytes of a Uint32Array (a view on little-endian hosts, a swapped copy otherwise). */
export function u32LeBytes(a: Uint32Array): Buffer {
  const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return os.endianness() === "LE" ? b : Buffer.from(b).swap32();
}

/** Write every chunk of a label volume to `<dir>/labels/<kind>/<cx>_<cy>_<cz>.u32.gz`. Returns the chunk count. */
export async function writeLabelChunks(
  dir: string,
  kind: LabelKind,
  labels: Uint32Array,
  shape: Shape3,
  chunkSize: number,
  opts: { concurrency?: number; onProgress?: Progress; signal?: AbortSignal; gzipLevel?: number } = {},
): Promise<number> {
  await mkdir(path.join(dir, "labels", kind), { recursive: true });
  const grid = chunkGrid(shape, chunkSize);
  const total = grid.x * grid.y * grid.z;
  let done = 0;
  opts.onProgress?.(0, total);
  await forEachLimit(
    total,
    opts.concurrency ?? 4,
    async (k) => {
      const cx = k % grid.x;
      const cy = Math.floor(k / grid.x) % grid.y;
      const cz = Math.floor(k / (grid.x * grid.y));
      const { data } = extractChunk(labels, shape, chunkSize, cx, cy, cz);
      const gz = await gzip(u32LeBytes(data), { level: opts.gzipLevel ?? 6 });
      await writeFile(path.join(dir, chunkPath(kind, cx, cy, cz)), gz);
      opts.onProgress?.(++done, total);
    },
    opts.signal,
  );
  return total;
}
