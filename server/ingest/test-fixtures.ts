/** Test helpers: small crops of the bundled sample volume, written to a temp folder. */
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import sharp from "sharp";
import { sampleDir } from "@/test-support/shared-data";

export const SAMPLE = {
  slices: path.join(sampleDir, "slices"),
  supervoxels: path.join(sampleDir, "labels", "supervoxels.u32.raw.gz"),
  groundTruth: path.join(sampleDir, "labels", "ground-truth.u32.raw.gz"),
  shape: { x: 250, y: 250, z: 250 },
  sliceFile: (z: number) => path.join(sampleDir, "slices", `iso.${2600 + z}.png`),
};

export async function tempDir(prefix = "axonaut-ingest-"): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

const fullLabelCache = new Map<string, Uint32Array>();
/** A whole sample label volume, decoded independently of read-labels.ts. */
export async function sampleLabels(file: string): Promise<Uint32Array> {
  let a = fullLabelCache.get(file);
  if (!a) {
    const raw = gunzipSync(await readFile(file));
    a = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    fullLabelCache.set(file, a);
  }
  return a;
}

export type Crop = {
  dir: string;
  sliceDir: string;
  /** Source slice files in z order. */
  sliceFiles: string[];
  shape: { x: number; y: number; z: number };
  /** Expected grey values, z,y,x, taken from the full-size sample slices. */
  grey: Uint8Array;
  supervoxels: Uint32Array;
  groundTruth: Uint32Array;
  supervoxelsFile: string;
  groundTruthFile: string;
};

/**
 * Crop the sample: z in [0, depth), x in [x0, x0+width), y in [y0, y0+height).
 * Slices are named `crop.<z>.png` WITHOUT zero padding, so a plain string sort would be wrong.
 */
export async function makeCrop(
  opts: { depth?: number; width?: number; height?: number; x0?: number; y0?: number } = {},
): Promise<Crop> {
  const { depth = 20, width = 100, height = 90, x0 = 20, y0 = 10 } = opts;
  const dir = await tempDir();
  const sliceDir = path.join(dir, "slices");
  await mkdir(sliceDir);
  const grey = new Uint8Array(width * height * depth);
  const sliceFiles: string[] = [];
  for (let z = 0; z < depth; z++) {
    const src = SAMPLE.sliceFile(z);
    const file = path.join(sliceDir, `crop.${z}.png`);
    await sharp(src).extract({ left: x0, top: y0, width, height }).toColourspace("b-w").png().toFile(file);
    sliceFiles.push(file);
    const { data, info } = await sharp(src).raw().toBuffer({ resolveWithObject: true });
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        grey[(z * height + y) * width + x] = data[((y0 + y) * info.width + (x0 + x)) * info.channels]!;
      }
    }
  }
  const cropLabels = (full: Uint32Array) => {
    const out = new Uint32Array(width * height * depth);
    const S = SAMPLE.shape;
    for (let z = 0; z < depth; z++)
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) out[(z * height + y) * width + x] = full[(z * S.y + y0 + y) * S.x + x0 + x]!;
    return out;
  };
  const supervoxels = cropLabels(await sampleLabels(SAMPLE.supervoxels));
  const groundTruth = cropLabels(await sampleLabels(SAMPLE.groundTruth));
  const supervoxelsFile = path.join(dir, "sv.u32.raw.gz");
  const groundTruthFile = path.join(dir, "gt.u32.raw.gz");
  await writeFile(supervoxelsFile, gzipSync(Buffer.from(supervoxels.buffer)));
  await writeFile(groundTruthFile, gzipSync(Buffer.from(groundTruth.buffer)));
  return {
    dir,
    sliceDir,
    sliceFiles,
    shape: { x: width, y: height, z: depth },
    grey,
    supervoxels,
    groundTruth,
    supervoxelsFile,
    groundTruthFile,
  };
}

/** Decode a PNG tile to raw grey bytes + size (checks it is a 1-channel, 8-bit PNG). */
export async function decodeTile(file: string): Promise<{ data: Uint8Array; width: number; height: number; channels: number; depth: string }> {
  const meta = await sharp(file).metadata();
  // (sharp's raw output of a grey PNG is 3 identical channels: take the first)
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: meta.channels ?? 0, depth: meta.depth ?? "" };
}
