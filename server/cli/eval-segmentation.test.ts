import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rm } from "node:fs/promises";
import { segmentationScores } from "@/core/segmentation-metrics";
import { ingestVolume } from "@/server/ingest/ingest";
import { makeCrop, tempDir, type Crop } from "@/server/ingest/test-fixtures";
import { evaluateSegmentation, formatTable, main, parseEvalArgs } from "./eval-segmentation";

describe("parseEvalArgs", () => {
  it("defaults to the sample and validates", () => {
    expect(parseEvalArgs([])).toEqual({ "--dataset": "neuroproof-medulla", "--json": false, "--ours": true });
    expect(parseEvalArgs(["--dataset", "abc", "--z", "3-9", "--json"])).toMatchObject({ "--dataset": "abc", "--z": [3, 9], "--json": true });
    expect(() => parseEvalArgs(["--z", "9-3"])).toThrow(/--z first slice must not be after the last/);
    expect(() => parseEvalArgs(["--z", "nine"])).toThrow(/--z must look like 175-249/);
    expect(() => parseEvalArgs(["--dataset", "Bad Name"])).toThrow(/--dataset must be a dataset slug/);
    expect(() => parseEvalArgs(["--frobnicate"])).toThrow(/Unknown option '--frobnicate'/);
    expect(parseEvalArgs(["--help"])).toBe("help");
  });
});

describe("evaluateSegmentation on an ingested crop", () => {
  let crop: Crop;
  let store: string;
  const env = process.env.AXONAUT_STORE;
  beforeAll(async () => {
    crop = await makeCrop({ depth: 12, width: 80, height: 70, x0: 30, y0: 40 });
    store = await tempDir("axonaut-eval-");
    // "ours" = the shipped supervoxels of the crop; the ground truth itself as a second dataset
    await ingestVolume({ source: crop.sliceDir, name: "crop", voxelSize: { x: 10, y: 10, z: 10 }, supervoxels: crop.supervoxelsFile, groundTruth: crop.groundTruthFile, storeDir: store });
    await ingestVolume({ source: crop.sliceDir, name: "perfect", voxelSize: { x: 10, y: 10, z: 10 }, supervoxels: crop.groundTruthFile, groundTruth: crop.groundTruthFile, storeDir: store });
    await ingestVolume({ source: crop.sliceDir, name: "no truth", voxelSize: { x: 10, y: 10, z: 10 }, supervoxels: crop.supervoxelsFile, storeDir: store, model: false });
  });
  afterAll(async () => {
    process.env.AXONAUT_STORE = env;
    await rm(store, { recursive: true, force: true });
  });

  it("scores the dataset's supervoxels over the whole volume, and a baseline dataset beside it", async () => {
    const r = await evaluateSegmentation({ "--dataset": "crop", "--baseline": "perfect", "--json": false, "--ours": false }, store);
    expect(r.z).toEqual([0, 11]);
    expect(r.columns.map((c) => c.label)).toEqual(["crop", "perfect"]);
    const want = segmentationScores(crop.supervoxels, crop.groundTruth, 80 * 70);
    expect(r.columns[0]!.scores).toEqual(want);
    expect(r.columns[1]!.scores).toMatchObject({ purity: 1, viSplit: 0, viMerge: 0, adaptedRandError: 0, supervoxelsPerNeuron: 1 });
    const table = formatTable(r);
    expect(table).toMatch(/\| voxel purity ↑ +\| +\d+\.\d\d % \| +100\.00 % \|/);
    expect(table).toMatch(/crop vs perfect: \+\d+\.\d % supervoxels per neuron/);
  });

  it("runs the committed model on the stored tiles for the \"ours\" column when the dataset's supervoxels came from a file", async () => {
    const r = await evaluateSegmentation({ "--dataset": "crop", "--json": false, "--ours": true }, store);
    expect(r.columns.map((c) => c.label)).toEqual(["ours", "crop"]);
    expect(r.columns[0]!.source).toMatch(/boundary\.onnx on the stored tiles/);
    const ours = r.columns[0]!.scores;
    expect(ours.voxels).toBe(r.columns[1]!.scores.voxels);
    expect(ours.segments).toBeGreaterThan(1);
    expect(ours.purity).toBeGreaterThan(0.6); // a real segmentation, not noise
  });

  it("restricts to --z and reads a baseline label file", async () => {
    const r = await evaluateSegmentation({ "--dataset": "crop", "--z": [4, 7], "--baseline": crop.groundTruthFile, "--json": false, "--ours": false }, store);
    expect(r.columns[0]!.scores).toEqual(segmentationScores(crop.supervoxels, crop.groundTruth, 80 * 70, 4, 8));
    expect(r.columns[1]!.label).toBe("gt.u32.raw.gz");
    expect(r.columns[1]!.scores.purity).toBe(1);
  });

  it("fails clearly: unknown dataset, no ground truth, z outside, bad baseline", async () => {
    await expect(evaluateSegmentation({ "--dataset": "nope", "--json": false, "--ours": false }, store)).rejects.toThrow(/dataset "nope" is not in the store .*npm run ingest/);
    await expect(evaluateSegmentation({ "--dataset": "no-truth", "--json": false, "--ours": false }, store)).rejects.toThrow(/no ground truth/);
    await expect(evaluateSegmentation({ "--dataset": "crop", "--z": [5, 12], "--json": false, "--ours": false }, store)).rejects.toThrow(/outside the volume \(z 0-11\)/);
    await expect(evaluateSegmentation({ "--dataset": "crop", "--baseline": "/no/such.gz", "--json": false, "--ours": false }, store)).rejects.toThrow(/neither a dataset .* nor a label file/);
  });

  it("main prints JSON with --json and exits 1 with one error line on bad input", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const so = vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
    const se = vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
    try {
      expect(await main(["--dataset", "crop", "--store", store, "--json", "--no-ours"])).toBe(0);
      const j = JSON.parse(out.join("")) as { columns: { scores: { purity: number } }[] };
      expect(j.columns[0]!.scores.purity).toBeGreaterThan(0.5);
      expect(await main(["--dataset", "crop", "--store", store, "--z", "0-99", "--no-ours"])).toBe(1);
      expect(err.join("")).toMatch(/^error: --z 0-99 is outside the volume/);
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
  });
});

