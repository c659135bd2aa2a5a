import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { chunkBox, type Box, type Vec3 } from "@/core/volume";
import { VolumeLoader, type DecodedTile, type VolumeUrls } from "./volume-loader";

const shape: Vec3 = { x: 40, y: 30, z: 20 };
const chunkSize = 8;
const tileSize = 16;
const label = (x: number, y: number, z: number) => 1 + x + 100 * y + 10_000 * z;
const greyAt = (x: number, y: number, z: number) => (x * 7 + y * 3 + z * 11) & 255;

const urls: VolumeUrls = {
  tile: (level, z, ty, tx) => `/t/${level}/${z}/${ty}_${tx}.png`,
  labelChunk: (cx, cy, cz) => `/l/${cx}_${cy}_${cz}`,
};

/** A fake server: tiles are "PNG" bodies of raw grey bytes with a 4-byte w/h header. */
function fakeFetch(opts: { gzipRaw?: boolean; failOnce?: Set<string>; missing?: Set<string> } = {}) {
  const log: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    log.push(url);
    await new Promise((r) => setTimeout(r, 1));
    if (opts.missing?.has(url)) return new Response("nope", { status: 404 });
    if (opts.failOnce?.delete(url)) return new Response("busy", { status: 503 });
    let m = /^\/l\/(\d+)_(\d+)_(\d+)$/.exec(url);
    if (m) {
      const b = chunkBox(Number(m[1]), Number(m[2]), Number(m[3]), chunkSize, shape);
      const sx = b.x1 - b.x0;
      const sy = b.y1 - b.y0;
      const data = new Uint32Array(sx * sy * (b.z1 - b.z0));
      for (let z = b.z0; z < b.z1; z++)
        for (let y = b.y0; y < b.y1; y++)
          for (let x = b.x0; x < b.x1; x++) data[((z - b.z0) * sy + (y - b.y0)) * sx + (x - b.x0)] = label(x, y, z);
      const bytes = new Uint8Array(data.buffer);
      return new Response(opts.gzipRaw ? gzipSync(bytes) : bytes);
    }
    m = /^\/t\/0\/(\d+)\/(\d+)_(\d+)\.png$/.exec(url);
    if (m) {
      const z = Number(m[1]);
      const x0 = Number(m[3]) * tileSize;
      const y0 = Number(m[2]) * tileSize;
      const w = Math.min(tileSize, shape.x - x0);
      const h = Math.min(tileSize, shape.y - y0);
      const body = new Uint8Array(4 + w * h);
      body[0] = w;
      body[1] = h;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) body[4 + y * w + x] = greyAt(x0 + x, y0 + y, z);
      return new Response(body);
    }
    return new Response("?", { status: 404 });
  }) as typeof fetch;
  return { fetchFn, log };
}

const decodeTile = async (blob: Blob): Promise<DecodedTile> => {
  const b = new Uint8Array(await blob.arrayBuffer());
  return { width: b[0]!, height: b[1]!, channels: 1, pixels: b.subarray(4) };
};

// Lets a callback passed at construction reach the loader it belongs to.
const loaderRef: { current: VolumeLoader | null } = { current: null };

function load(box: Box, extra: Partial<ConstructorParameters<typeof VolumeLoader>[0]> = {}) {
  return new Promise<{ loader: VolumeLoader; progress: Array<[number, number]>; errors: string[]; failed: number }>(
    (resolve) => {
      const progress: Array<[number, number]> = [];
      const errors: string[] = [];
      const loader = new VolumeLoader({
        box,
        shape,
        tileSize,
        chunkSize,
        urls,
        decodeTile,
        concurrency: 3,
        onProgress: (l, t) => progress.push([l, t]),
        onError: (m) => errors.push(m),
        onComplete: (failed) => resolve({ loader, progress, errors, failed }),
        ...extra,
      });
      loaderRef.current = loader;
      loader.start();
    },
  );
}

describe("VolumeLoader", () => {
  const box: Box = { x0: 5, y0: 3, z0: 2, x1: 37, y1: 29, z1: 18 };

  it("assembles the grey and label cubes over the box, reporting progress", async () => {
    const { fetchFn } = fakeFetch();
    const { loader, progress, errors, failed } = await load(box, { fetch: fetchFn });
    expect(errors).toEqual([]);
    expect(failed).toBe(0);
    const { x: sx, y: sy, z: sz } = loader.size;
    expect([sx, sy, sz]).toEqual([32, 26, 16]);
    for (let z = 0; z < sz; z++)
      for (let y = 0; y < sy; y++)
        for (let x = 0; x < sx; x++) {
          const i = (z * sy + y) * sx + x;
          if (loader.labels[i] !== label(x + 5, y + 3, z + 2)) throw new Error(`label at ${x},${y},${z}`);
          if (loader.grey[i] !== greyAt(x + 5, y + 3, z + 2)) throw new Error(`grey at ${x},${y},${z}`);
        }
    // Tiles: tx 0..2, ty 0..1 → 6 per slice × 16 slices.
    const chunks = 5 * 4 * 3; // cx 0..4, cy 0..3, cz 0..2
    expect(loader.total).toBe(16 * 6 + chunks);
    expect(progress[0]).toEqual([0, loader.total]);
    expect(progress[progress.length - 1]).toEqual([loader.total, loader.total]);
    expect(loader.labelsComplete).toBe(true);
    expect(loader.supervoxelAt(0, 0, 0)).toBe(label(5, 3, 2));
    expect(loader.supervoxelAt(32, 0, 0)).toBeNull();
    expect(loader.greyReady(2) && loader.labelsReady(17)).toBe(true);
    expect([...loader.labelSlice(1).subarray(0, 2)]).toEqual([label(5, 3, 3), label(6, 3, 3)]);
  });

  it("fetches the slices nearest the focus first, labels before tiles", async () => {
    const { fetchFn, log } = fakeFetch();
    await load(box, { fetch: fetchFn, focusZ: 12, concurrency: 1 });
    const firstTile = log.findIndex((u) => u.startsWith("/t/"));
    // All chunks crossing z=12 (cz = 1: z 8..15) come before the first tile.
    expect(log.slice(0, firstTile).every((u) => u.endsWith("_1"))).toBe(true);
    expect(firstTile).toBe(5 * 4);
    const tileZ = log.filter((u) => u.startsWith("/t/")).map((u) => Number(u.split("/")[3]));
    const dist = tileZ.map((z) => Math.abs(z - 12));
    for (let i = 1; i < dist.length; i++) expect(dist[i]!).toBeGreaterThanOrEqual(dist[i - 1]!);
  });

  it("re-prioritises when the focus moves", async () => {
    const { fetchFn, log } = fakeFetch();
    let moved = false;
    await load(box, {
      fetch: fetchFn,
      focusZ: 2,
      concurrency: 1,
      onData: () => {
        if (!moved) {
          moved = true;
          loaderRef.current?.setFocus(17);
        }
      },
    });
    const tiles = log.filter((u) => u.startsWith("/t/"));
    expect(tiles[0]).toContain("/t/0/17/");
  });

  it("retries 5xx, inflates gzip bodies that were not inflated, and reports 404s", async () => {
    const { fetchFn } = fakeFetch({
      gzipRaw: true,
      failOnce: new Set(["/l/1_1_1", "/t/0/5/0_0.png"]),
      missing: new Set(["/t/0/6/1_1.png"]),
    });
    const { loader, errors, failed } = await load(box, { fetch: fetchFn });
    expect(failed).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/image tile .*\/t\/0\/6\/1_1\.png.*404/);
    expect(loader.greyReady(6)).toBe(true); // settled, drawn black where missing
    expect(loader.labelsComplete).toBe(true);
    expect(loader.supervoxelAt(10, 10, 10)).toBe(label(15, 13, 12));
  });

  it("stops on destroy", async () => {
    const { fetchFn, log } = fakeFetch();
    const loader = new VolumeLoader({ box, shape, tileSize, chunkSize, urls, decodeTile, fetch: fetchFn, concurrency: 2 });
    loader.start();
    loader.destroy();
    await new Promise((r) => setTimeout(r, 30));
    expect(log.length).toBe(2);
  });
});
