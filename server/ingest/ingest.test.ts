import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestError, ingestVolume, INGEST_STAGES, type IngestOptions, type IngestProgress } from "./ingest";
import { chunkGrid, levelCount, manifestSchema, supervoxelStatsSchema, type Manifest } from "./manifest";
import { resolveSlug, slugify } from "./slug";
import { decodeTile, makeCrop, SAMPLE, tempDir, type Crop } from "./test-fixtures";

let crop: Crop;
const cleanup: string[] = [];

beforeAll(async () => {
  crop = await makeCrop({ depth: 20, width: 100, height: 90, x0: 20, y0: 10 });
  cleanup.push(crop.dir);
});
afterAll(async () => {
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

async function newStore(): Promise<string> {
  const d = await tempDir("axonaut-store-");
  cleanup.push(d);
  return d;
}

function baseOpts(store: string, extra: Partial<IngestOptions> = {}): IngestOptions {
  return {
    source: crop.sliceDir,
    name: "Medulla Crop",
    voxelSize: { x: 10, y: 10, z: 12.5 },
    supervoxels: crop.supervoxelsFile,
    groundTruth: crop.groundTruthFile,
    storeDir: store,
    license: "CC BY 3.0",
    attribution: "Janelia FlyEM (HHMI)",
    ...extra,
  };
}

/** Reassemble a label volume from its chunk files, independently of write-store.ts. */
async function reassemble(dir: string, m: Manifest): Promise<Uint32Array> {
  const { shape: s, chunkSize: c } = m;
  const out = new Uint32Array(s.x * s.y * s.z).fill(0xffffffff);
  const grid = chunkGrid(s, c);
  const files = await readdir(dir);
  expect(files.length).toBe(grid.x * grid.y * grid.z);
  for (const f of files) {
    const match = /^(\d+)_(\d+)_(\d+)\.u32\.gz$/.exec(f);
    expect(match, f).not.toBeNull();
    const [cx, cy, cz] = [Number(match![1]), Number(match![2]), Number(match![3])];
    const raw = gunzipSync(await readFile(path.join(dir, f)));
    const dx = Math.min(c, s.x - cx * c);
    const dy = Math.min(c, s.y - cy * c);
    const dz = Math.min(c, s.z - cz * c);
    expect(raw.byteLength, f).toBe(dx * dy * dz * 4);
    const a = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    for (let z = 0; z < dz; z++)
      for (let y = 0; y < dy; y++)
        for (let x = 0; x < dx; x++)
          out[((cz * c + z) * s.y + cy * c + y) * s.x + cx * c + x] = a[(z * dy + y) * dx + x]!;
  }
  return out;
}

function expectSameArray(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(actual.length, `${what} length`).toBe(expected.length);
  let bad = -1;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      bad = i;
      break;
    }
  }
  expect(bad, `${what}: first mismatch at index ${bad}`).toBe(-1);
}

describe("ingestVolume on a 100×90×20 crop of the sample", () => {
  let store: string;
  let manifest: Manifest;
  let dataDir: string;
  const events: IngestProgress[] = [];

  beforeAll(async () => {
    store = await newStore();
    manifest = await ingestVolume(baseOpts(store, { onProgress: (p) => events.push(p) }));
    dataDir = path.join(store, manifest.slug);
  });

  it("returns and writes the manifest per docs/contracts.md", async () => {
    expect(manifest).toMatchObject({
      version: 1,
      slug: "medulla-crop",
      name: "Medulla Crop",
      shape: { x: 100, y: 90, z: 20 },
      voxelSize: { x: 10, y: 10, z: 12.5 },
      tileSize: 256,
      levels: 1,
      chunkSize: 64,
      hasSupervoxels: true,
      hasGroundTruth: true,
      license: "CC BY 3.0",
      attribution: "Janelia FlyEM (HHMI)",
    });
    expect(new Date(manifest.createdAt).toString()).not.toBe("Invalid Date");
    const onDisk = manifestSchema.parse(JSON.parse(await readFile(path.join(dataDir, "manifest.json"), "utf8")));
    expect(onDisk).toEqual(manifest);
    // only the dataset folder is left in the store: no temp folder
    expect(await readdir(store)).toEqual(["medulla-crop"]);
    expect((await readdir(dataDir)).sort()).toEqual(["labels", "manifest.json", "supervoxels.json", "tiles"]);
  });

  it("writes one tile per slice whose pixels equal the source (natural z order)", async () => {
    expect(await readdir(path.join(dataDir, "tiles"))).toEqual(["0"]);
    expect((await readdir(path.join(dataDir, "tiles", "0"))).length).toBe(20);
    const plane = 100 * 90;
    for (let z = 0; z < 20; z++) {
      expect(await readdir(path.join(dataDir, "tiles", "0", String(z)))).toEqual(["0_0.png"]);
      const t = await decodeTile(path.join(dataDir, "tiles", "0", String(z), "0_0.png"));
      expect([t.width, t.height, t.channels, t.depth]).toEqual([100, 90, 1, "uchar"]);
      expectSameArray(t.data, crop.grey.subarray(z * plane, (z + 1) * plane), `tile z=${z}`);
    }
  });

  it("writes supervoxel chunks that reassemble to the source labels", async () => {
    const files = (await readdir(path.join(dataDir, "labels", "supervoxels"))).sort();
    expect(files).toEqual(["0_0_0.u32.gz", "0_1_0.u32.gz", "1_0_0.u32.gz", "1_1_0.u32.gz"]);
    expectSameArray(await reassemble(path.join(dataDir, "labels", "supervoxels"), manifest), crop.supervoxels, "supervoxels");
  });

  it("writes ground-truth chunks that reassemble to the source labels", async () => {
    expectSameArray(await reassemble(path.join(dataDir, "labels", "ground-truth"), manifest), crop.groundTruth, "ground truth");
  });

  it("writes supervoxels.json: sizes sum to the non-zero voxels, stats match a brute-force count", async () => {
    const stats = supervoxelStatsSchema.parse(JSON.parse(await readFile(path.join(dataDir, "supervoxels.json"), "utf8")));
    const nonZero = crop.supervoxels.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
    expect(stats.sizes.reduce((a, b) => a + b, 0)).toBe(nonZero);
    expect(stats.ids.length).toBe(manifest.supervoxelCount);
    expect([...stats.ids]).toEqual([...stats.ids].sort((a, b) => a - b));
    expect(stats.ids).not.toContain(0);

    const brute = new Map<number, { n: number; x: number; y: number; z: number }>();
    const { x: sx, y: sy, z: sz } = crop.shape;
    for (let z = 0; z < sz; z++)
      for (let y = 0; y < sy; y++)
        for (let x = 0; x < sx; x++) {
          const id = crop.supervoxels[(z * sy + y) * sx + x]!;
          if (id === 0) continue;
          const e = brute.get(id) ?? { n: 0, x: 0, y: 0, z: 0 };
          e.n++;
          e.x += x;
          e.y += y;
          e.z += z;
          brute.set(id, e);
        }
    expect(stats.ids.length).toBe(brute.size);
    stats.ids.forEach((id, k) => {
      const e = brute.get(id)!;
      expect(stats.sizes[k]).toBe(e.n);
      expect(stats.centroids[3 * k]).toBeCloseTo(e.x / e.n, 2);
      expect(stats.centroids[3 * k + 1]).toBeCloseTo(e.y / e.n, 2);
      expect(stats.centroids[3 * k + 2]).toBeCloseTo(e.z / e.n, 2);
    });
  });

  it("reports progress for every stage, in order, ending at done === total", () => {
    const stages = [...new Set(events.map((e) => e.stage))];
    // a --supervoxels file and no model: the model's stages (and graph.json) are skipped
    const modelStages = ["check-model", "read-slices", "boundary-model", "watershed", "agglomerate", "region-graph"];
    expect(stages).toEqual(INGEST_STAGES.filter((s) => !modelStages.includes(s)));
    for (const s of stages) {
      const mine = events.filter((e) => e.stage === s);
      const last = mine[mine.length - 1]!;
      expect(last.done, s).toBe(last.total);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.done).toBeGreaterThanOrEqual(mine[i - 1]!.done);
    }
  });

  it("refuses an existing slug, and replaces it with replace: true", async () => {
    const err = await ingestVolume(baseOpts(store)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as Error).message).toMatch(/dataset "medulla-crop" already exists/);
    expect((err as IngestError).file).toBe(path.join(store, "medulla-crop"));

    const m2 = await ingestVolume(baseOpts(store, { replace: true, groundTruth: undefined, license: "CC0" }));
    expect(m2).toMatchObject({ slug: "medulla-crop", hasGroundTruth: false, license: "CC0" });
    expect(await readdir(store)).toEqual(["medulla-crop"]);
    expect((await readdir(path.join(dataDir, "labels"))).sort()).toEqual(["supervoxels"]);
    expect(JSON.parse(await readFile(path.join(dataDir, "manifest.json"), "utf8")).license).toBe("CC0");
  });
});

describe("tile pyramid (tileSize 32 on the crop)", () => {
  /** Rounded mean of the existing pixels of each 2×2 block (written independently of downsample2x). */
  function boxDown(src: Uint8Array, w: number, h: number) {
    const W = Math.ceil(w / 2);
    const H = Math.ceil(h / 2);
    const out = new Uint8Array(W * H);
    for (let Y = 0; Y < H; Y++)
      for (let X = 0; X < W; X++) {
        let sum = 0;
        let n = 0;
        for (let y = 2 * Y; y < Math.min(2 * Y + 2, h); y++)
          for (let x = 2 * X; x < Math.min(2 * X + 2, w); x++) {
            sum += src[y * w + x]!;
            n++;
          }
        out[Y * W + X] = Math.floor(sum / n + 0.5);
      }
    return { data: out, width: W, height: H };
  }

  it("writes levels until the slice fits one tile, tiles clipped at the edges, values = box filter", async () => {
    const store = await newStore();
    const m = await ingestVolume(baseOpts(store, { tileSize: 32, supervoxels: undefined, groundTruth: undefined, slug: "pyr", model: false }));
    // 100×90 → 50×45 → 25×23 (fits 32)
    expect(m.levels).toBe(3);
    expect(levelCount(100, 90, 32)).toBe(3);
    expect(m.hasSupervoxels).toBe(false);
    expect(m.supervoxelCount).toBe(0);
    const dir = path.join(store, "pyr");
    expect(await readdir(path.join(dir, "labels")).catch(() => [])).toEqual([]);
    expect(JSON.parse(await readFile(path.join(dir, "supervoxels.json"), "utf8"))).toEqual({ ids: [], sizes: [], centroids: [] });

    for (const z of [0, 7, 19]) {
      let img = { data: crop.grey.subarray(z * 9000, (z + 1) * 9000), width: 100, height: 90 };
      for (let level = 0; level < 3; level++) {
        if (level > 0) img = boxDown(img.data, img.width, img.height);
        const cols = Math.ceil(img.width / 32);
        const rows = Math.ceil(img.height / 32);
        const names = await readdir(path.join(dir, "tiles", String(level), String(z)));
        expect(names.length).toBe(cols * rows);
        for (let ty = 0; ty < rows; ty++)
          for (let tx = 0; tx < cols; tx++) {
            const t = await decodeTile(path.join(dir, "tiles", String(level), String(z), `${ty}_${tx}.png`));
            const tw = Math.min(32, img.width - tx * 32);
            const th = Math.min(32, img.height - ty * 32);
            expect([t.width, t.height, t.channels], `L${level} z${z} ${ty}_${tx}`).toEqual([tw, th, 1]);
            const want = new Uint8Array(tw * th);
            for (let y = 0; y < th; y++)
              for (let x = 0; x < tw; x++) want[y * tw + x] = img.data[(ty * 32 + y) * img.width + tx * 32 + x]!;
            expectSameArray(t.data, want, `L${level} z${z} tile ${ty}_${tx}`);
          }
      }
    }
    // level 0: 4×3 tiles (edge tiles 4 px wide, 26 px tall); level 2: one 25×23 tile
    expect((await decodeTile(path.join(dir, "tiles/0/0/2_3.png"))).width).toBe(4);
    expect((await decodeTile(path.join(dir, "tiles/0/0/2_3.png"))).height).toBe(26);
    expect(await readdir(path.join(dir, "tiles/2/0"))).toEqual(["0_0.png"]);
  });
});

describe("bad input: throws IngestError naming the file and leaves the store untouched", () => {
  async function expectFailure(opts: IngestOptions, file: string, message: RegExp) {
    const before = await readdir(opts.storeDir);
    const err = await ingestVolume(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).file).toBe(file);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(path.basename(file));
    expect(await readdir(opts.storeDir)).toEqual(before);
  }

  it("missing folder", async () => {
    const store = await newStore();
    const missing = path.join(crop.dir, "no-such-folder");
    await expectFailure(baseOpts(store, { source: missing }), missing, /slice folder not found/);
    expect(await readdir(store)).toEqual([]);
  });

  it("folder without images", async () => {
    const store = await newStore();
    const empty = path.join(crop.dir, "empty");
    await mkdir(empty, { recursive: true });
    await writeFile(path.join(empty, "notes.txt"), "hello");
    await expectFailure(baseOpts(store, { source: empty }), empty, /no slice images .* \(found 1 other file\(s\), e\.g\. notes\.txt\)/);
  });

  it("mixed sizes", async () => {
    const store = await newStore();
    const dir = path.join(crop.dir, "mixed");
    await mkdir(dir, { recursive: true });
    for (let z = 0; z < 5; z++) await copyFile(SAMPLE.sliceFile(z), path.join(dir, `iso.${2600 + z}.png`));
    const odd = path.join(dir, "iso.2605.png");
    await sharp(SAMPLE.sliceFile(5)).extract({ left: 0, top: 0, width: 200, height: 250 }).png().toFile(odd);
    await expectFailure(
      baseOpts(store, { source: dir, supervoxels: undefined, groundTruth: undefined }),
      odd,
      /^iso\.2605\.png is 200×250 but iso\.2600\.png is 250×250/,
    );
    expect(await readdir(store)).toEqual([]);
  });

  it("corrupt PNG (garbage bytes)", async () => {
    const store = await newStore();
    const dir = path.join(crop.dir, "corrupt");
    await mkdir(dir, { recursive: true });
    for (const f of crop.sliceFiles) await copyFile(f, path.join(dir, path.basename(f)));
    const bad = path.join(dir, "crop.7.png");
    await writeFile(bad, Buffer.from("this is not a png, just garbage bytes ".repeat(20)));
    await expectFailure(baseOpts(store, { source: dir }), bad, /crop\.7\.png: unreadable or corrupt image/);
  });

  it("truncated PNG (valid header, fails only when decoded after writing started)", async () => {
    const store = await newStore();
    const dir = path.join(crop.dir, "truncated");
    await mkdir(dir, { recursive: true });
    for (const f of crop.sliceFiles) await copyFile(f, path.join(dir, path.basename(f)));
    const bad = path.join(dir, "crop.13.png");
    const bytes = await readFile(bad);
    await writeFile(bad, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectFailure(baseOpts(store, { source: dir }), bad, /crop\.13\.png: unreadable or corrupt image/);
    expect(await readdir(store)).toEqual([]);
  });

  it("label file with the wrong length", async () => {
    const store = await newStore();
    const bad = path.join(crop.dir, "short.u32.raw.gz");
    await writeFile(bad, gzipSync(Buffer.from(crop.supervoxels.buffer).subarray(0, 100 * 90 * 19 * 4)));
    await expectFailure(
      baseOpts(store, { supervoxels: bad }),
      bad,
      /decompressed size is 684000 bytes but the image volume x=100, y=90, z=20 needs x\*y\*z\*4 = 720000 bytes.*19 slices of 100×90, but there are 20 image slices/,
    );
    expect(await readdir(store)).toEqual([]);
  });

  it("ground-truth file with the wrong length (after supervoxels were written)", async () => {
    const store = await newStore();
    const bad = path.join(crop.dir, "long.u32.raw.gz");
    await writeFile(bad, gzipSync(Buffer.concat([Buffer.from(crop.groundTruth.buffer), Buffer.from(crop.groundTruth.buffer)])));
    await expectFailure(baseOpts(store, { groundTruth: bad }), bad, /needs x\*y\*z\*4 = 720000 bytes.*uint64/);
  });

  it("missing label file, before any work", async () => {
    const store = await newStore();
    const missing = path.join(crop.dir, "nope.u32.raw.gz");
    await expectFailure(baseOpts(store, { groundTruth: missing }), missing, /label file not found/);
  });

  it("an abort mid-way removes the temp folder", async () => {
    const store = await newStore();
    const ac = new AbortController();
    const err = await ingestVolume(
      baseOpts(store, {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.stage === "tiles" && p.done === 3) ac.abort(new Error("stop"));
        },
      }),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe("stop");
    expect(await readdir(store)).toEqual([]);
  });
});

describe("options", () => {
  it("slug: lower-case kebab of the name, validated", () => {
    expect(slugify("NeuroProof Medulla (FIB-SEM) #2")).toBe("neuroproof-medulla-fib-sem-2");
    expect(slugify("  Crème Brûlée  ")).toBe("creme-brulee");
    expect(slugify("日本")).toBe("");
    expect(slugify("a".repeat(100)).length).toBe(63);
    expect(resolveSlug("X", "my-set-2")).toBe("my-set-2");
    expect(() => resolveSlug("X", "Bad Slug")).toThrow(IngestError);
    expect(() => resolveSlug("X", "a--b")).toThrow(/invalid slug/);
    expect(() => resolveSlug("日本")).toThrow(/cannot derive a slug/);
  });

  it("rejects bad names and voxel sizes before touching the store", async () => {
    const store = await newStore();
    await expect(ingestVolume(baseOpts(store, { name: "  " }))).rejects.toThrow(/name must not be empty/);
    await expect(ingestVolume(baseOpts(store, { voxelSize: { x: 10, y: 0, z: 10 } }))).rejects.toThrow(/voxel size y must be a positive number/);
    await expect(ingestVolume(baseOpts(store, { voxelSize: { x: 10, y: 10, z: Number.NaN } }))).rejects.toThrow(IngestError);
    expect(await readdir(store)).toEqual([]);
  });
});
