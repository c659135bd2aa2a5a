// The REAL committed model (public/models/boundary.onnx) through onnxruntime-node: never mocked.
import { readFile, readdir, writeFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_CONTEXT, predictPlane, tilePlan } from "@/core/model-io";
import { repoRoot } from "@/test-support/shared-data";
import { checkModelFits, DEFAULT_MODEL_PATH, loadBoundaryModel, predictBoundaryVolume, runModel, type BoundaryModel } from "./boundary-model";
import { IngestError, INGEST_STAGES, ingestVolume } from "./ingest";
import { readSlice } from "./read-slices";
import { makeCrop, SAMPLE, sampleLabels, tempDir, type Crop } from "./test-fixtures";

const fixture = (name: string) => path.join(repoRoot, "server", "ingest", "fixtures", name);
const S = SAMPLE.shape;
const plane = S.x * S.y;

let model: BoundaryModel;
beforeAll(async () => {
  model = await loadBoundaryModel(DEFAULT_MODEL_PATH);
});
afterAll(async () => model?.close());

/** 1 where a 4-neighbour in the slice or a z-neighbour has another body (the training target). */
function gtBoundaryOfSlice(gt: Uint32Array, z: number): Uint8Array {
  const out = new Uint8Array(plane);
  const o = z * plane;
  for (let y = 0; y < S.y; y++)
    for (let x = 0; x < S.x; x++) {
      const i = o + y * S.x + x;
      const l = gt[i]!;
      const nb = [x > 0 ? i - 1 : i, x < S.x - 1 ? i + 1 : i, y > 0 ? i - S.x : i, y < S.y - 1 ? i + S.x : i, z > 0 ? i - plane : i, z < S.z - 1 ? i + plane : i];
      out[y * S.x + x] = l === 0 || nb.some((j) => gt[j] !== l) ? 1 : 0;
    }
  return out;
}

describe("the committed boundary model on real data", () => {
  it("matches the PyTorch output it was exported from (ml/export-reference.f32)", async () => {
    const buf = await readFile(path.join(repoRoot, "ml", "export-reference.f32"));
    const f = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const n = MODEL_CONTEXT * 64 * 64;
    expect(f.length).toBe(n + 64 * 64);
    const out = await runModel(model, f.slice(0, n), 1, 64, 64);
    let maxDiff = 0;
    for (let i = 0; i < 64 * 64; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i]! - f[n + i]!));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("predicts boundaries on a validation slice: right shape, [0,1], high on ground-truth boundaries, low inside", async () => {
    const z = 162; // validation slab (z 150-174)
    const slices = await Promise.all([z - 1, z, z + 1].map((k) => readSlice(SAMPLE.sliceFile(k))));
    let calls = 0;
    const p = await predictPlane(
      async (input, h, w) => {
        calls++;
        expect([h, w]).toEqual([256, 256]);
        return runModel(model, input, 1, h, w);
      },
      slices,
      S.x,
      S.y,
    );
    expect(calls).toBe(1);
    expect(p.length).toBe(plane);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p)).toBeLessThanOrEqual(1);
    const gt = await sampleLabels(SAMPLE.groundTruth);
    const b = gtBoundaryOfSlice(gt, z);
    let onB = 0;
    let nB = 0;
    let inside = 0;
    let nI = 0;
    for (let i = 0; i < plane; i++) {
      if (b[i]) {
        onB += p[i]!;
        nB++;
      } else {
        inside += p[i]!;
        nI++;
      }
    }
    const meanB = onB / nB;
    const meanI = inside / nI;
    expect(meanB).toBeGreaterThan(0.5);
    expect(meanI).toBeLessThan(0.15);
    expect(meanB - meanI).toBeGreaterThan(0.4);
    // most ground-truth boundary pixels are found at 0.5, few interior pixels are flagged
    let hitB = 0;
    let falseI = 0;
    for (let i = 0; i < plane; i++) if (p[i]! >= 0.5) (b[i] ? hitB++ : falseI++);
    expect(hitB / nB).toBeGreaterThan(0.6);
    expect(falseI / nI).toBeLessThan(0.1);
  });

  it("gives the same volume tiled small (64 px, overlap 16) as in one tile, up to the blending", async () => {
    const crop = { x: 120, y: 100, z: 3 };
    const grey = new Uint8Array(crop.x * crop.y * crop.z);
    for (let z = 0; z < 3; z++) {
      const s = await readSlice(SAMPLE.sliceFile(170 + z));
      for (let y = 0; y < crop.y; y++) grey.set(s.subarray((y + 50) * S.x + 60, (y + 50) * S.x + 60 + crop.x), (z * crop.y + y) * crop.x);
    }
    const whole = await predictBoundaryVolume(model, grey, crop);
    const tiled = await predictBoundaryVolume(model, grey, crop, { tile: 64, overlap: 16, batch: 3 });
    let diff = 0;
    for (let i = 0; i < whole.length; i++) diff += Math.abs(whole[i]! - tiled[i]!);
    expect(diff / whole.length).toBeLessThan(6); // mean |Δ| in bytes (of 255)
  });
});

describe("bad model files", () => {
  const cases: [string, () => Promise<string>, RegExp][] = [
    ["a missing file", async () => path.join(await tempDir(), "nope.onnx"), /model file not found: .*nope\.onnx/],
    [
      "garbage bytes",
      async () => {
        const f = path.join(await tempDir(), "garbage.onnx");
        await writeFile(f, Buffer.from("definitely not a protobuf ".repeat(50)));
        return f;
      },
      /garbage\.onnx is not a loadable ONNX model \(corrupt or truncated file\?\)/,
    ],
    [
      "a truncated copy of the real model",
      async () => {
        const f = path.join(await tempDir(), "truncated.onnx");
        const b = await readFile(DEFAULT_MODEL_PATH);
        await writeFile(f, b.subarray(0, Math.floor(b.length / 3)));
        return f;
      },
      /truncated\.onnx is not a loadable ONNX model/,
    ],
    ["one input channel", async () => fixture("wrong-channels.onnx"), /wrong-channels\.onnx does not fit: input shape is \[N, 1, H, W\]: 1 channels/],
    ["other tensor names", async () => fixture("wrong-names.onnx"), /wrong-names\.onnx does not fit: it has inputs \["x"\]/],
  ];
  for (const [what, make, msg] of cases) {
    it(`refuses ${what}`, async () => {
      const f = await make();
      const err = await loadBoundaryModel(f).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IngestError);
      expect((err as Error).message).toMatch(msg);
      expect((err as IngestError).file).toBe(path.resolve(f));
    });
  }
  it("refuses a fixed 64×64 input when the tiles are 256 px", async () => {
    const m = await loadBoundaryModel(fixture("fixed-size.onnx"));
    try {
      const err = await checkModelFits(m, tilePlan(250, 250)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IngestError);
      expect((err as Error).message).toMatch(/fixed-size\.onnx failed on an input of shape \[1, 3, 256, 256\]/);
    } finally {
      await m.close();
    }
  });
});

describe("ingest with a bad model stops with a clear message and writes nothing", () => {
  let crop: Crop;
  beforeAll(async () => {
    crop = await makeCrop({ depth: 6, width: 64, height: 48 });
  });
  for (const [what, file, msg] of [
    ["missing", "/nonexistent/boundary.onnx", /model file not found/],
    ["wrong shape", fixture("fixed-size.onnx"), /does not fit|failed on an input of shape \[1, 3, 48, 64\]/],
    ["wrong channels", fixture("wrong-channels.onnx"), /1 channels/],
  ] as const) {
    it(what, async () => {
      const store = await tempDir("axonaut-store-");
      const err = await ingestVolume({
        source: crop.sliceDir,
        name: "bad model",
        voxelSize: { x: 10, y: 10, z: 10 },
        storeDir: store,
        model: file,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IngestError);
      expect((err as Error).message).toMatch(msg);
      expect(await readdir(store)).toEqual([]);
    });
  }
});

describe("ingest with the model (no --supervoxels): supervoxels, region graph", () => {
  let crop: Crop;
  let dir: string;
  let count = 0;
  const stages: string[] = [];
  beforeAll(async () => {
    crop = await makeCrop({ depth: 24, width: 64, height: 60, x0: 100, y0: 120 });
    const store = await tempDir("axonaut-store-");
    const m = await ingestVolume({
      onProgress: (p) => {
        if (stages[stages.length - 1] !== p.stage) stages.push(p.stage);
      },
      source: crop.sliceDir,
      name: "model crop",
      voxelSize: { x: 10, y: 10, z: 10 },
      groundTruth: crop.groundTruthFile,
      storeDir: store,
    });
    expect(m).toMatchObject({ hasSupervoxels: true, supervoxelSource: "model", hasRegionGraph: true });
    count = m.supervoxelCount;
    dir = path.join(store, m.slug);
  });

  it("runs the model's stages in order", () => {
    expect(stages).toEqual(INGEST_STAGES.filter((s) => s !== "read-supervoxels"));
  });

  it("labels every voxel with ids 1..count (one chunk here) and lists them in supervoxels.json", async () => {
    expect(count).toBeGreaterThan(3);
    const raw = gunzipSync(await readFile(path.join(dir, "labels", "supervoxels", "0_0_0.u32.gz")));
    const l = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    expect(l.length).toBe(64 * 60 * 24);
    const ids = new Set(l);
    expect(ids.has(0)).toBe(false);
    expect(ids.size).toBe(count);
    expect(Math.max(...ids)).toBe(count);
    const stats = JSON.parse(await readFile(path.join(dir, "supervoxels.json"), "utf8")) as { ids: number[] };
    expect(stats.ids).toEqual(Array.from({ length: count }, (_, k) => k + 1));
  });

  it("writes graph.json per docs/model-contract.md, whose edges are the real contacts", async () => {
    const g = JSON.parse(await readFile(path.join(dir, "graph.json"), "utf8")) as {
      version: number; score: string; supervoxels: number; edges: number[]; scores: number[]; contacts: number[];
    };
    expect(g.version).toBe(1);
    expect(g.score).toBe("mean-boundary-probability");
    expect(g.supervoxels).toBe(count);
    const E = g.scores.length;
    expect(E).toBeGreaterThan(0);
    expect(g.edges.length).toBe(2 * E);
    expect(g.contacts.length).toBe(E);
    const raw = gunzipSync(await readFile(path.join(dir, "labels", "supervoxels", "0_0_0.u32.gz")));
    const l = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    // brute-force contacts from the label chunk
    const faces = new Map<string, number>();
    const W = 64, H = 60, D = 24;
    for (let z = 0; z < D; z++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const i = (z * H + y) * W + x;
          for (const j of [x < W - 1 ? i + 1 : -1, y < H - 1 ? i + W : -1, z < D - 1 ? i + W * H : -1]) {
            if (j < 0 || l[j] === l[i]) continue;
            const a = Math.min(l[i]!, l[j]!), b = Math.max(l[i]!, l[j]!);
            faces.set(`${a}-${b}`, (faces.get(`${a}-${b}`) ?? 0) + 1);
          }
        }
    expect(E).toBe(faces.size);
    for (let k = 0; k < E; k++) {
      const a = g.edges[2 * k]!, b = g.edges[2 * k + 1]!;
      expect(a).toBeLessThan(b);
      if (k > 0) expect(a > g.edges[2 * k - 2]! || (a === g.edges[2 * k - 2] && b > g.edges[2 * k - 1]!)).toBe(true);
      expect(g.contacts[k]).toBe(faces.get(`${a}-${b}`));
      expect(g.scores[k]).toBeGreaterThanOrEqual(0);
      expect(g.scores[k]).toBeLessThanOrEqual(1);
    }
  });
});
