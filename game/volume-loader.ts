/**
 * Streams one task cube: level-0 grey tiles (one PNG per z slice and tile) and label chunks (gzip
 * raw LE uint32, inflated by the browser), with limited concurrency, nearest-to-the-current-slice
 * first. Everything lands in two flat arrays over the box (zyx C order):
 *
 *   grey:   Uint8Array  (sx·sy·sz)   0 where a tile has not arrived yet
 *   labels: Uint32Array (sx·sy·sz)   0 where a chunk has not arrived yet
 *
 * Plain module: no Phaser. `fetch` and the PNG decoder are injectable for tests.
 */
import { type Box, type Vec3, boxSize, chunkBox, chunkKey, chunksForBox, clampBox } from "@/core/volume";
import { copyChunkIntoCube, copyTileIntoCube, tilesForBox } from "./cube";

export type VolumeUrls = {
  tile(level: number, z: number, ty: number, tx: number): string;
  labelChunk(cx: number, cy: number, cz: number): string;
};

export type DecodedTile = {
  width: number;
  height: number;
  /** 1 = one grey byte per pixel, 4 = RGBA (red is used). */
  channels: number;
  pixels: ArrayLike<number>;
};

export type TileDecoder = (body: Blob) => Promise<DecodedTile>;

export type VolumeLoaderOptions = {
  box: Box;
  shape: Vec3;
  tileSize: number;
  chunkSize: number;
  urls: VolumeUrls;
  /** Absolute z to load first (default: the middle of the box). */
  focusZ?: number;
  /** Requests in flight at once (default 6, what browsers allow per HTTP/1.1 origin). */
  concurrency?: number;
  /** Extra attempts after a network error or a 5xx/429 (default 2). */
  retries?: number;
  fetch?: typeof fetch;
  decodeTile?: TileDecoder;
  /** Loaded / total items after each one lands. */
  onProgress?: (loaded: number, total: number) => void;
  /** Data for these absolute slices changed (a tile or a chunk landed). */
  onData?: (zFrom: number, zTo: number) => void;
  /** An item failed for good; the cube keeps zeros there. */
  onError?: (message: string, item: { kind: "tile" | "labels"; url: string }) => void;
  /** Every item has settled (loaded or failed). */
  onComplete?: (failed: number) => void;
};

type Job = {
  kind: "tile" | "labels";
  url: string;
  /** Absolute z range covered, inclusive. */
  zLo: number;
  zHi: number;
  run: (res: Response) => Promise<void>;
  state: "pending" | "running" | "done" | "failed";
  attempts: number;
};

const RETRY_DELAYS_MS = [300, 1200, 3000];

export class VolumeLoader {
  readonly box: Box;
  readonly size: Vec3;
  readonly grey: Uint8Array;
  readonly labels: Uint32Array;

  private readonly opts: VolumeLoaderOptions;
  private readonly jobs: Job[] = [];
  private readonly abort = new AbortController();
  private readonly fetchFn: typeof fetch;
  private readonly decode: TileDecoder;
  private focus: number;
  private running = 0;
  private loaded = 0;
  private failed = 0;
  private started = false;
  private destroyed = false;
  /** Per cube-local z: grey tiles still missing / label chunks still missing. */
  private readonly greyMissing: Int32Array;
  private readonly labelsMissing: Int32Array;
  /** Per chunk (in chunk-grid order over the box): 1 when its labels are in the cube. */
  private readonly chunkReady: Uint8Array;
  private readonly chunkGrid: { cx0: number; cy0: number; cz0: number; nx: number; ny: number; nz: number };

  constructor(opts: VolumeLoaderOptions) {
    this.opts = opts;
    this.box = clampBox(opts.box, opts.shape);
    this.size = boxSize(this.box);
    const n = this.size.x * this.size.y * this.size.z;
    if (n === 0) throw new Error("task box is empty (or outside the volume)");
    this.grey = new Uint8Array(n);
    this.labels = new Uint32Array(n);
    this.fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.decode = opts.decodeTile ?? decodePngTile;
    this.focus = opts.focusZ ?? this.box.z0 + (this.size.z >> 1);
    this.greyMissing = new Int32Array(this.size.z);
    this.labelsMissing = new Int32Array(this.size.z);

    const { box } = this;
    const cs = opts.chunkSize;
    const chunks = chunksForBox(box, cs);
    const first = chunks[0]!;
    const last = chunks[chunks.length - 1]!;
    this.chunkGrid = {
      cx0: first.cx,
      cy0: first.cy,
      cz0: first.cz,
      nx: last.cx - first.cx + 1,
      ny: last.cy - first.cy + 1,
      nz: last.cz - first.cz + 1,
    };
    this.chunkReady = new Uint8Array(chunks.length);

    for (const c of chunks) {
      const bounds = chunkBox(c.cx, c.cy, c.cz, cs, opts.shape);
      const zLo = Math.max(box.z0, bounds.z0);
      const zHi = Math.min(box.z1, bounds.z1) - 1;
      for (let z = zLo; z <= zHi; z++) this.labelsMissing[z - box.z0]!++;
      const url = opts.urls.labelChunk(c.cx, c.cy, c.cz);
      this.jobs.push({
        kind: "labels",
        url,
        zLo,
        zHi,
        state: "pending",
        attempts: 0,
        run: async (res) => {
          const s = boxSize(bounds);
          const data = await readLabelBody(res, s.x * s.y * s.z, chunkKey(c.cx, c.cy, c.cz));
          copyChunkIntoCube(this.labels, box, data, bounds);
          this.chunkReady[this.chunkIndex(c.cx, c.cy, c.cz)] = 1;
          for (let z = zLo; z <= zHi; z++) this.labelsMissing[z - box.z0]!--;
        },
      });
    }

    const tiles = tilesForBox(box, opts.tileSize);
    for (let z = box.z0; z < box.z1; z++) {
      this.greyMissing[z - box.z0] = tiles.length;
      for (const t of tiles) {
        this.jobs.push({
          kind: "tile",
          url: opts.urls.tile(0, z, t.ty, t.tx),
          zLo: z,
          zHi: z,
          state: "pending",
          attempts: 0,
          run: async (res) => {
            const decoded = await this.decode(await res.blob());
            copyTileIntoCube(this.grey, box, z, { x0: t.x0, y0: t.y0, ...decoded });
            this.greyMissing[z - box.z0]!--;
          },
        });
      }
    }
  }

  get total(): number {
    return this.jobs.length;
  }

  get loadedCount(): number {
    return this.loaded;
  }

  get failedCount(): number {
    return this.failed;
  }

  /** All label chunks have landed. */
  get labelsComplete(): boolean {
    return this.chunkReady.every((v) => v === 1);
  }

  /** Begin (idempotent). */
  start(): void {
    if (this.started || this.destroyed) return;
    this.started = true;
    this.opts.onProgress?.(0, this.total);
    this.pump();
  }

  /** Load what is nearest this absolute z first from now on. */
  setFocus(z: number): void {
    this.focus = z;
  }

  /** Grey tiles of absolute slice z have all settled (landed or failed). */
  greyReady(z: number): boolean {
    const i = z - this.box.z0;
    return i >= 0 && i < this.size.z && this.greyMissing[i] === 0;
  }

  /** Every label chunk crossing absolute slice z has settled (landed or failed). */
  labelsReady(z: number): boolean {
    const i = z - this.box.z0;
    return i >= 0 && i < this.size.z && this.labelsMissing[i] === 0;
  }

  /**
   * Supervoxel at cube-local (x, y, z): its id (0 = background), or null when outside the cube or
   * when that voxel's chunk has not arrived yet.
   */
  supervoxelAt(x: number, y: number, z: number): number | null {
    const { size, box, opts } = this;
    if (!(x >= 0 && y >= 0 && z >= 0 && x < size.x && y < size.y && z < size.z)) return null;
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    const zi = Math.floor(z);
    const cs = opts.chunkSize;
    const ci = this.chunkIndex(
      Math.floor((xi + box.x0) / cs),
      Math.floor((yi + box.y0) / cs),
      Math.floor((zi + box.z0) / cs),
    );
    if (this.chunkReady[ci] !== 1) return null;
    return this.labels[(zi * size.y + yi) * size.x + xi] ?? null;
  }

  /** Views (no copy) of one cube-local slice. */
  greySlice(zLocal: number): Uint8Array {
    const n = this.size.x * this.size.y;
    return this.grey.subarray(zLocal * n, (zLocal + 1) * n);
  }

  labelSlice(zLocal: number): Uint32Array {
    const n = this.size.x * this.size.y;
    return this.labels.subarray(zLocal * n, (zLocal + 1) * n);
  }

  /** Abort everything in flight; no callback fires afterwards. */
  destroy(): void {
    this.destroyed = true;
    this.abort.abort();
  }

  // --- internals ---------------------------------------------------------------------------

  private chunkIndex(cx: number, cy: number, cz: number): number {
    const g = this.chunkGrid;
    return ((cz - g.cz0) * g.ny + (cy - g.cy0)) * g.nx + (cx - g.cx0);
  }

  /** Priority: distance in slices from the focus; labels win ties (clicks need them). */
  private priority(job: Job): number {
    const f = this.focus;
    const d = f < job.zLo ? job.zLo - f : f > job.zHi ? f - job.zHi : 0;
    return d + (job.kind === "tile" ? 0.5 : 0);
  }

  private next(): Job | null {
    let best: Job | null = null;
    let bestP = Infinity;
    for (const job of this.jobs) {
      if (job.state !== "pending") continue;
      const p = this.priority(job);
      if (p < bestP) {
        best = job;
        bestP = p;
      }
    }
    return best;
  }

  private pump(): void {
    const limit = Math.max(1, this.opts.concurrency ?? 6);
    while (!this.destroyed && this.running < limit) {
      const job = this.next();
      if (!job) break;
      job.state = "running";
      this.running++;
      void this.runJob(job).finally(() => {
        this.running--;
        if (this.destroyed) return;
        this.pump();
        if (this.running === 0 && !this.next()) this.opts.onComplete?.(this.failed);
      });
    }
  }

  private async runJob(job: Job): Promise<void> {
    const retries = this.opts.retries ?? 2;
    for (;;) {
      job.attempts++;
      let retryable = true;
      try {
        const res = await this.fetchFn(job.url, { signal: this.abort.signal, credentials: "same-origin" });
        if (!res.ok) {
          retryable = res.status >= 500 || res.status === 429;
          throw new Error(`HTTP ${res.status}`);
        }
        await job.run(res);
        if (this.destroyed) return;
        job.state = "done";
        this.loaded++;
        this.opts.onProgress?.(this.loaded, this.total);
        this.opts.onData?.(job.zLo, job.zHi);
        return;
      } catch (err) {
        if (this.destroyed) return;
        const message = err instanceof Error ? err.message : String(err);
        if (/^HTTP 4/.test(message) || !retryable || err instanceof LabelFormatError) retryable = false;
        if (retryable && job.attempts <= retries) {
          await sleep(RETRY_DELAYS_MS[job.attempts - 1] ?? 3000, this.abort.signal);
          if (this.destroyed) return;
          continue;
        }
        job.state = "failed";
        this.failed++;
        // A failed item still counts as settled so the game can draw the slice (black where a tile
        // is missing, unlabelled where a chunk is; supervoxelAt() keeps answering null there).
        const missing = job.kind === "tile" ? this.greyMissing : this.labelsMissing;
        for (let z = job.zLo; z <= job.zHi; z++) missing[z - this.box.z0]!--;
        this.opts.onError?.(
          `could not load ${job.kind === "tile" ? "image tile" : "label chunk"} ${job.url}: ${message}`,
          { kind: job.kind, url: job.url },
        );
        return;
      }
    }
  }
}

export class LabelFormatError extends Error {}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Read a label-chunk body as uint32. Normally the browser has already inflated it
 * (Content-Encoding: gzip); if a proxy stripped that header we still get gzip bytes, so inflate here.
 * Label chunks are little-endian, as is every platform a browser runs on.
 */
export async function readLabelBody(res: Response, expected: number, key: string): Promise<Uint32Array> {
  let buf = await res.arrayBuffer();
  if (buf.byteLength !== expected * 4 && buf.byteLength >= 2) {
    const head = new Uint8Array(buf, 0, 2);
    if (head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1 && typeof DecompressionStream !== "undefined") {
      const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
      buf = await new Response(stream).arrayBuffer();
    }
  }
  if (buf.byteLength !== expected * 4) {
    throw new LabelFormatError(`label chunk ${key}: ${buf.byteLength} bytes, expected ${expected * 4}`);
  }
  return new Uint32Array(buf);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

// --- PNG decoding (browser) ------------------------------------------------------------------

let scratch: OffscreenCanvas | HTMLCanvasElement | null = null;

function scratchContext(w: number, h: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  if (!scratch) {
    scratch =
      typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(w, h) : document.createElement("canvas");
  }
  if (scratch.width < w) scratch.width = w;
  if (scratch.height < h) scratch.height = h;
  const ctx = scratch.getContext("2d", { willReadFrequently: true }) as
    | OffscreenCanvasRenderingContext2D
    | CanvasRenderingContext2D
    | null;
  if (!ctx) throw new Error("2D canvas unavailable");
  return ctx;
}

/**
 * Decode a grey PNG to pixels: createImageBitmap (no colour conversion, so grey values survive)
 * drawn on a shared scratch canvas; falls back to an <img> where createImageBitmap is missing.
 */
export const decodePngTile: TileDecoder = async (body) => {
  let source: ImageBitmap | HTMLImageElement;
  if (typeof createImageBitmap === "function") {
    source = await createImageBitmap(body, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  } else {
    const url = URL.createObjectURL(body);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      source = img;
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  const width = source.width;
  const height = source.height;
  // Synchronous from here on, so the shared scratch canvas cannot be used by two decodes at once.
  const ctx = scratchContext(width, height);
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(source, 0, 0);
  if ("close" in source) source.close();
  const { data } = ctx.getImageData(0, 0, width, height);
  return { width, height, channels: 4, pixels: data };
};
