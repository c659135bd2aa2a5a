// Every import format, read back voxel for voxel from fixtures written here (zarrita, h5wasm, sharp, and
// a precomputed folder by hand, also served over loopback HTTP), plus the messages for bad input.
import { createServer, type Server } from "node:http";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import sharp from "sharp";
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../test-fixtures";
import { detectFormat, openVolume } from "./open";
import type { VolumeSource } from "./volume";

const S = { x: 37, y: 29, z: 11 }; // odd sizes: chunks are clipped at every edge
const N = S.x * S.y * S.z;
const at = (x: number, y: number, z: number) => (z * S.y + y) * S.x + x;
const grey = new Uint8Array(N);
const labels = new Uint32Array(N);
for (let z = 0; z < S.z; z++)
  for (let y = 0; y < S.y; y++)
    for (let x = 0; x < S.x; x++) {
      grey[at(x, y, z)] = (x * 7 + y * 3 + z * 11) & 255;
      labels[at(x, y, z)] = 1 + Math.floor(x / 10) + 4 * Math.floor(y / 10) + 16 * z;
    }

async function readAll(v: VolumeSource | string): Promise<Uint8Array> {
  if (typeof v === "string") throw new Error("expected an opened volume");
  const out = new Uint8Array(v.width * v.height * v.depth);
  for (let z = 0; z < v.depth; z++) out.set(await v.readSlice(z), z * v.width * v.height);
  return out;
}
function crop<T extends Uint8Array | Uint32Array>(a: T, r: { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number }): T {
  const out = new (a.constructor as new (n: number) => T)((r.x1 - r.x0) * (r.y1 - r.y0) * (r.z1 - r.z0));
  let o = 0;
  for (let z = r.z0; z < r.z1; z++) for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) out[o++] = a[at(x, y, z)]!;
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir("axonaut-formats-");
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("multi-page TIFF", () => {
  it("reads every page as a z slice, with a region", async () => {
    const file = path.join(dir, "stack.tif");
    await sharp(grey, { raw: { width: S.x, height: S.y * S.z, channels: 1, pageHeight: S.y } as never }).tiff({ compression: "lzw" }).toFile(file);
    expect(await detectFormat(file)).toBe("tiff");
    const v = await openVolume({ source: file });
    expect(v.voxelSize).toBeUndefined();
    expect(Buffer.from(await readAll(v.volume)).equals(Buffer.from(grey))).toBe(true);
    const r = { x0: 3, y0: 4, z0: 2, x1: 30, y1: 20, z1: 9 };
    const part = await openVolume({ source: file, region: r });
    expect(Buffer.from(await readAll(part.volume)).equals(Buffer.from(crop(grey, r)))).toBe(true);
  });
  it("refuses colour, naming the file and what is accepted", async () => {
    const file = path.join(dir, "colour.tif");
    const rgb = new Uint8Array(N * 3).map((_, i) => (i % 3 === 0 ? 200 : i % 7));
    await sharp(rgb, { raw: { width: S.x, height: S.y * S.z, channels: 3, pageHeight: S.y } as never }).tiff().toFile(file);
    await expect(openVolume({ source: file })).rejects.toThrow(`${file}: page 0 has colour (RGB) pixels; accepted: uint8 or uint16 grayscale, one channel`);
  });
  it("refuses a corrupt file", async () => {
    const file = path.join(dir, "corrupt.tif");
    await writeFile(file, Buffer.concat([Buffer.from("II*\0"), Buffer.alloc(50, 7)]));
    await expect(openVolume({ source: file })).rejects.toThrow(`${file}: unreadable or corrupt TIFF`);
  });
});

describe("Zarr", () => {
  it("OME-Zarr v3 (zarrita): uint16 image stretched to 8 bit, voxel size from the scale transform, uint32 labels", async () => {
    const root = path.join(dir, "ome.zarr");
    const store = new FileSystemStore(root);
    const axes = [
      { name: "z", type: "space", unit: "micrometer" },
      { name: "y", type: "space", unit: "nanometer" },
      { name: "x", type: "space", unit: "nanometer" },
    ];
    await zarr.create(zarr.root(store), {
      attributes: { multiscales: [{ version: "0.4", axes, datasets: [{ path: "s0", coordinateTransformations: [{ type: "scale", scale: [0.04, 8, 8] }] }] }] },
    });
    const img = await zarr.create(zarr.root(store).resolve("s0"), { shape: [S.z, S.y, S.x], chunkShape: [4, 16, 16], dtype: "uint16" });
    const u16 = Uint16Array.from(grey, (g) => 1000 + g * 10); // min 1000, max 3550: stretched back to 0..255
    await zarr.set(img, null, { data: u16, shape: [S.z, S.y, S.x], stride: [S.x * S.y, S.x, 1] });
    const lab = await zarr.create(zarr.root(store).resolve("seg"), { shape: [S.z, S.y, S.x], chunkShape: [4, 16, 16], dtype: "uint32" });
    await zarr.set(lab, null, { data: labels, shape: [S.z, S.y, S.x], stride: [S.x * S.y, S.x, 1] });

    expect(await detectFormat(root)).toBe("zarr");
    const v = await openVolume({ source: root, labels: "seg" });
    expect(v.voxelSize).toEqual({ x: 8, y: 8, z: 40 });
    const got = await readAll(v.volume);
    const lo = Math.min(...grey);
    const hi = Math.max(...grey);
    const want = Uint8Array.from(grey, (g) => Math.round(((g - lo) * 10 * 255) / ((hi - lo) * 10)));
    expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
    expect(v.supervoxels).toEqual(labels);

    const r = { x0: 5, y0: 0, z0: 3, x1: 33, y1: 29, z1: 10 };
    const part = await openVolume({ source: root, labels: "seg", region: r });
    expect(part.supervoxels).toEqual(crop(labels, r));
  });

  it("a plain Zarr v2 array written by hand (no compressor), and the same store zipped", async () => {
    const root = path.join(dir, "plain.zarr");
    await mkdir(root);
    await writeFile(path.join(root, ".zarray"), JSON.stringify({ zarr_format: 2, shape: [S.z, S.y, S.x], chunks: [S.z, S.y, S.x], dtype: "|u1", compressor: null, fill_value: 0, order: "C", filters: null }));
    await writeFile(path.join(root, "0.0.0"), grey);
    const v = await openVolume({ source: root });
    expect(v.voxelSize).toBeUndefined(); // a plain array has none: ingest then needs --voxel-size
    expect(Buffer.from(await readAll(v.volume)).equals(Buffer.from(grey))).toBe(true);

    const zip = path.join(dir, "plain.zarr.zip");
    execFileSync("zip", ["-q", "-r", "-0", zip, "plain.zarr"], { cwd: dir });
    expect(await detectFormat(zip)).toBe("zarr");
    const z2 = await openVolume({ source: zip });
    expect(Buffer.from(await readAll(z2.volume)).equals(Buffer.from(grey))).toBe(true);
  });

  it("refuses float data and RGB channels, saying what was found", async () => {
    const root = path.join(dir, "float.zarr");
    const a = await zarr.create(new FileSystemStore(root), { shape: [2, 3, 4], chunkShape: [2, 3, 4], dtype: "float64" });
    await zarr.set(a, null, { data: new Float64Array(24), shape: [2, 3, 4], stride: [12, 4, 1] });
    await expect(openVolume({ source: root })).rejects.toThrow(`${root}: data type float64 is not supported for the image (accepted: uint8 or uint16 grayscale, one channel)`);
    const rgbRoot = path.join(dir, "rgb.zarr");
    await zarr.create(new FileSystemStore(rgbRoot), { shape: [3, 2, 3, 4], chunkShape: [3, 2, 3, 4], dtype: "uint8" });
    await expect(openVolume({ source: rgbRoot })).rejects.toThrow(/a channel axis of 3, RGB\?/);
  });
});

describe("HDF5", () => {
  it("reads the only 3-D dataset, voxel size from element_size_um, labels by path; refuses float64", async () => {
    await h5wasm.ready;
    const file = path.join(dir, "vol.h5");
    const f = new h5wasm.File(file, "w");
    f.create_group("volumes");
    f.create_dataset({ name: "volumes/raw", data: grey, shape: [S.z, S.y, S.x], dtype: "<B" });
    (f.get("volumes/raw") as unknown as { create_attribute(n: string, v: number[]): void }).create_attribute("element_size_um", [0.05, 0.004, 0.004]);
    f.create_dataset({ name: "volumes/labels", data: BigUint64Array.from(labels, (l) => BigInt(l) + 10_000_000_000n), shape: [S.z, S.y, S.x], dtype: "<Q" });
    f.create_dataset({ name: "prob", data: new Float64Array(4), shape: [4], dtype: "<d" });
    f.create_dataset({ name: "floaty", data: new Float64Array(N), shape: [S.z, S.y, S.x], dtype: "<d" });
    f.close();
    expect(await detectFormat(file)).toBe("hdf5");
    const v = await openVolume({ source: file, array: "volumes/raw", labels: "volumes/labels" });
    expect(v.voxelSize).toEqual({ x: 4, y: 4, z: 50 });
    expect(Buffer.from(await readAll(v.volume)).equals(Buffer.from(grey))).toBe(true);
    // uint64 ids beyond 32 bits are renumbered 1..n in value order: same partition
    const sv = v.supervoxels as Uint32Array;
    const ids = [...new Set(labels)].sort((a, b) => a - b);
    expect(sv).toEqual(Uint32Array.from(labels, (l) => ids.indexOf(l) + 1));
    await expect(openVolume({ source: file, array: "floaty" })).rejects.toThrow(`${file} (floaty): data type float64 is not supported for the image (accepted: uint8 or uint16 grayscale, one channel)`);
    expect((await openVolume({ source: file })).volume).toMatchObject({ width: S.x, height: S.y, depth: S.z }); // "volumes/raw", as in CREMI
    const two = path.join(dir, "two.h5");
    const g = new h5wasm.File(two, "w");
    g.create_dataset({ name: "a", data: grey, shape: [S.z, S.y, S.x], dtype: "<B" });
    g.create_dataset({ name: "b", data: grey, shape: [S.z, S.y, S.x], dtype: "<B" });
    g.close();
    await expect(openVolume({ source: two })).rejects.toThrow(`${two}: cannot tell which dataset is the image (found: a, b); name it with --array`);
  });
  it("names a corrupt file", async () => {
    const file = path.join(dir, "bad.h5");
    await writeFile(file, Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 3)]));
    await expect(openVolume({ source: file })).rejects.toThrow(`${file}: not a readable HDF5 file`);
  });
});

describe("Neuroglancer precomputed", () => {
  const CHUNK = [16, 16, 4] as const;
  const OFF = [100, 200, 10] as const;
  let folder: string;
  let segFolder: string;
  let server: Server;
  let base: string;
  const requested: string[] = [];

  /** Writes an unsharded raw precomputed layer; every other chunk gzip-compressed (with a .gz name or not). */
  async function writeLayer(root: string, type: "image" | "segmentation", dtype: "uint8" | "uint64", data: Uint8Array | Uint32Array) {
    await mkdir(path.join(root, "8_8_40"), { recursive: true });
    await writeFile(path.join(root, "info"), JSON.stringify({
      "@type": "neuroglancer_multiscale_volume", type, data_type: dtype, num_channels: 1,
      scales: [{ key: "8_8_40", size: [S.x, S.y, S.z], resolution: [8, 8, 40], voxel_offset: OFF, chunk_sizes: [CHUNK], encoding: "raw" }],
    }));
    let n = 0;
    for (let z0 = 0; z0 < S.z; z0 += CHUNK[2])
      for (let y0 = 0; y0 < S.y; y0 += CHUNK[1])
        for (let x0 = 0; x0 < S.x; x0 += CHUNK[0]) {
          const [x1, y1, z1] = [Math.min(x0 + CHUNK[0], S.x), Math.min(y0 + CHUNK[1], S.y), Math.min(z0 + CHUNK[2], S.z)];
          const bpv = dtype === "uint8" ? 1 : 8;
          const buf = Buffer.alloc((x1 - x0) * (y1 - y0) * (z1 - z0) * bpv);
          let o = 0;
          for (let z = z0; z < z1; z++)
            for (let y = y0; y < y1; y++)
              for (let x = x0; x < x1; x++) {
                if (bpv === 1) buf[o] = data[at(x, y, z)]!;
                else buf.writeBigUInt64LE(BigInt(data[at(x, y, z)]!), o);
                o += bpv;
              }
          const name = `${x0 + OFF[0]}-${x1 + OFF[0]}_${y0 + OFF[1]}-${y1 + OFF[1]}_${z0 + OFF[2]}-${z1 + OFF[2]}`;
          const kind = n++ % 3;
          if (kind === 0) await writeFile(path.join(root, "8_8_40", name), buf);
          else if (kind === 1) await writeFile(path.join(root, "8_8_40", name), gzipSync(buf));
          else await writeFile(path.join(root, "8_8_40", `${name}.gz`), gzipSync(buf));
        }
  }

  beforeAll(async () => {
    folder = path.join(dir, "pc-image");
    segFolder = path.join(dir, "pc-seg");
    await writeLayer(folder, "image", "uint8", grey);
    await writeLayer(segFolder, "segmentation", "uint64", labels);
    // serve both folders over loopback; ".gz" files are sent with Content-Encoding: gzip, as a CDN would
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      requested.push(url.pathname);
      const file = path.join(dir, decodeURIComponent(url.pathname));
      try {
        const body = await readFile(file);
        res.writeHead(200).end(body);
      } catch {
        try {
          const gz = await readFile(`${file}.gz`);
          res.writeHead(200, { "content-encoding": "gzip" }).end(gz);
        } catch {
          res.writeHead(404).end();
        }
      }
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((ok) => server.close(() => ok())));

  it("a local folder: whole volume, voxel size from resolution, uint64 segmentation as labels", async () => {
    expect(await detectFormat(folder)).toBe("precomputed");
    const v = await openVolume({ source: folder, labels: segFolder });
    expect(v.voxelSize).toEqual({ x: 8, y: 8, z: 40 });
    expect(Buffer.from(await readAll(v.volume)).equals(Buffer.from(grey))).toBe(true);
    expect(v.supervoxels).toEqual(labels);
  });

  it("over HTTP with a region: only the chunks that intersect it are requested", async () => {
    const rel = { x0: 20, y0: 3, z0: 5, x1: 33, y1: 14, z1: 7 }; // inside chunk columns x 1..2, y 0, z 1
    const r = { x0: rel.x0 + OFF[0], y0: rel.y0 + OFF[1], z0: rel.z0 + OFF[2], x1: rel.x1 + OFF[0], y1: rel.y1 + OFF[1], z1: rel.z1 + OFF[2] };
    requested.length = 0;
    const fetched: string[] = [];
    const v = await openVolume({ source: `${base}/pc-image`, labels: `${base}/pc-seg/`, region: r, allowPrivateHosts: true, onFetch: (c) => fetched.push(c) });
    expect(Buffer.from(await readAll(v.volume)).equals(Buffer.from(crop(grey, rel)))).toBe(true);
    expect(v.supervoxels).toEqual(crop(labels, rel));
    const want = ["116-132_200-216_14-18", "132-137_200-216_14-18"];
    expect(fetched.sort()).toEqual([...want.map((c) => `8_8_40/${c}`), ...want.map((c) => `8_8_40/${c}`)].sort());
    const chunkRequests = requested.filter((p) => !p.endsWith("/info")).sort();
    expect(chunkRequests).toEqual([...want.map((c) => `/pc-image/8_8_40/${c}`), ...want.map((c) => `/pc-seg/8_8_40/${c}`)].sort());
    expect(requested.filter((p) => p.endsWith("/info"))).toHaveLength(2);
  });

  it("refuses loopback URLs unless allowed, bad info, unsupported encodings and regions outside the volume", async () => {
    await expect(openVolume({ source: `${base}/pc-image` })).rejects.toThrow(/loopback and private-network hosts are not allowed/);
    const bad = path.join(dir, "pc-bad");
    await mkdir(bad);
    await writeFile(path.join(bad, "info"), JSON.stringify({ type: "image", data_type: "uint8", num_channels: 1, scales: [{ key: "a", size: [1, 2], resolution: [1, 1, 1], chunk_sizes: [[1, 1, 1]], encoding: "raw" }] }));
    await expect(openVolume({ source: bad })).rejects.toThrow(`${bad}/info: scales.0.size:`);
    await writeFile(path.join(bad, "info"), JSON.stringify({ type: "image", data_type: "uint8", num_channels: 1, scales: [{ key: "a", size: [4, 4, 4], resolution: [1, 1, 1], chunk_sizes: [[4, 4, 4]], encoding: "jpeg" }] }));
    await expect(openVolume({ source: bad })).rejects.toThrow(`${bad}: chunk encoding "jpeg" is not supported (accepted: raw, optionally gzip-compressed)`);
    await writeFile(path.join(bad, "info"), JSON.stringify({ type: "image", data_type: "float32", num_channels: 1, scales: [{ key: "a", size: [4, 4, 4], resolution: [1, 1, 1], chunk_sizes: [[4, 4, 4]], encoding: "raw" }] }));
    await expect(openVolume({ source: bad })).rejects.toThrow(`${bad}: data type float32 is not supported for the image (accepted: uint8 or uint16 grayscale, one channel)`);
    await expect(openVolume({ source: folder, region: { x0: 0, y0: 0, z0: 0, x1: 5, y1: 5, z1: 5 } })).rejects.toThrow(`${folder}: region x 0..5 is outside the volume (x runs 100..137)`);
  });

  it("names a corrupt chunk", async () => {
    const broken = path.join(dir, "pc-broken");
    execFileSync("cp", ["-r", folder, broken]);
    await writeFile(path.join(broken, "8_8_40", "100-116_200-216_10-14"), Buffer.alloc(7));
    await expect(openVolume({ source: broken })).rejects.toThrow(`${broken}: chunk 8_8_40/100-116_200-216_10-14 has 7 bytes, expected 1024 (16×16×4 uint8): corrupt chunk`);
  });
});

describe("into the store", () => {
  it("ingestVolume takes an opened volume with its labels (HDF5 here): tiles and label chunks equal the source", async () => {
    const { ingestVolume } = await import("../ingest");
    const { decodeTile } = await import("../test-fixtures");
    const { gunzipSync } = await import("node:zlib");
    const file = path.join(dir, "vol.h5");
    const v = await openVolume({ source: file, array: "volumes/raw", labels: "volumes/labels" });
    const store = path.join(dir, "store");
    const m = await ingestVolume({
      source: v.volume as VolumeSource,
      name: "From HDF5",
      voxelSize: v.voxelSize!,
      supervoxels: v.supervoxels,
      model: false,
      storeDir: store,
      license: "CC0",
      attribution: "Test",
      chunkSize: 64,
    });
    expect(m).toMatchObject({ slug: "from-hdf5", shape: S, voxelSize: { x: 4, y: 4, z: 50 }, hasSupervoxels: true, supervoxelSource: "file", license: "CC0" });
    const tile = await decodeTile(path.join(store, "from-hdf5", "tiles", "0", "3", "0_0.png"));
    expect(Buffer.from(tile.data).equals(Buffer.from(grey.subarray(3 * S.x * S.y, 4 * S.x * S.y)))).toBe(true);
    const chunk = gunzipSync(await readFile(path.join(store, "from-hdf5", "labels", "supervoxels", "0_0_0.u32.gz")));
    expect(new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.byteLength / 4)).toEqual(v.supervoxels);
    expect((await readdir(store)).sort()).toEqual(["from-hdf5"]);
  });

  it("the CLI names the source when a plain Zarr array has no voxel size, and writes nothing", async () => {
    const { main } = await import("../cli");
    const store = path.join(dir, "store-cli");
    const errs: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await main([path.join(dir, "plain.zarr"), "--name", "No size", "--store", store, "--no-db", "--no-model", "--license", "CC0", "--attribution", "Test"])).toBe(1);
    } finally {
      process.stderr.write = orig;
    }
    expect(errs.join("")).toContain(`error: ${path.join(dir, "plain.zarr")}: voxel size missing (the file's metadata has none); give it in nm, e.g. --voxel-size 8,8,40`);
    expect(await readdir(store).catch(() => [])).toEqual([]);
  });
});
