import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestError } from "./errors";
import { readLabels } from "./read-labels";
import { computeSupervoxelStats } from "./supervoxel-stats";
import { SAMPLE, sampleLabels, tempDir } from "./test-fixtures";

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shape = { x: 5, y: 4, z: 3 };
const le = (a: Uint32Array) => {
  const b = Buffer.alloc(a.length * 4);
  a.forEach((v, i) => b.writeUInt32LE(v, i * 4));
  return b;
};

async function caught(p: Promise<unknown>): Promise<IngestError> {
  const e = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(IngestError);
  return e as IngestError;
}

describe("readLabels", () => {
  it("reads gzipped little-endian uint32 z,y,x", async () => {
    const a = Uint32Array.from({ length: 60 }, (_, i) => (i * 2654435761) >>> 0);
    const f = path.join(dir, "ok.u32.raw.gz");
    await writeFile(f, gzipSync(le(a)));
    const progress: number[] = [];
    const got = await readLabels(f, shape, { onProgress: (d) => progress.push(d) });
    expect([...got]).toEqual([...a]);
    expect(progress[progress.length - 1]).toBe(3);
  });

  it("reads the full sample and its 3,337 supervoxels", async () => {
    const sv = await readLabels(SAMPLE.supervoxels, SAMPLE.shape);
    expect(Buffer.from(sv.buffer).equals(Buffer.from((await sampleLabels(SAMPLE.supervoxels)).buffer))).toBe(true);
    const stats = computeSupervoxelStats(sv, SAMPLE.shape);
    expect(stats.ids.length).toBe(3337);
  });

  it("names the file and the expected shape when the length is wrong", async () => {
    const f = path.join(dir, "short.u32.raw.gz");
    await writeFile(f, gzipSync(Buffer.alloc(236)));
    const e = await caught(readLabels(f, shape));
    expect(e.file).toBe(f);
    expect(e.message).toBe(
      `${f}: decompressed size is 236 bytes but the image volume x=5, y=4, z=3 needs x*y*z*4 = 240 bytes of uint32 labels`,
    );
    await writeFile(f, gzipSync(Buffer.alloc(120)));
    expect((await caught(readLabels(f, shape))).message).toMatch(/120 bytes .* \(that is exactly 2 bytes per voxel: uint16 labels\?/);
    await writeFile(f, gzipSync(Buffer.alloc(80 * 4)));
    expect((await caught(readLabels(f, shape))).message).toMatch(/\(that is 4 slices of 5×4, but there are 3 image slices\)/);
    await writeFile(f, gzipSync(Buffer.alloc(100_000)));
    expect((await caught(readLabels(f, shape))).message).toMatch(/decompressed size is more than 481 bytes/);
  });

  it("rejects missing, non-gzip and truncated files", async () => {
    const missing = path.join(dir, "missing.gz");
    expect((await caught(readLabels(missing, shape))).message).toBe(`label file not found: ${missing}`);

    const folder = path.join(dir, "afolder");
    await mkdir(folder);
    expect((await caught(readLabels(folder, shape))).message).toMatch(/is a folder/);

    const raw = path.join(dir, "raw.u32");
    await writeFile(raw, Buffer.alloc(240));
    expect((await caught(readLabels(raw, shape))).message).toBe(
      `${raw} is not gzip-compressed (expected gzip of raw little-endian uint32 labels, shape x=5, y=4, z=3)`,
    );

    const trunc = path.join(dir, "trunc.gz");
    const gz = gzipSync(Buffer.from(Array.from({ length: 240 }, (_, i) => i)));
    await writeFile(trunc, gz.subarray(0, gz.length - 10));
    const e = await caught(readLabels(trunc, shape));
    expect(e.message).toMatch(/trunc\.gz: gzip data is truncated/);
    expect(e.file).toBe(trunc);
  });
});

describe("computeSupervoxelStats", () => {
  it("counts voxels and centroids per non-zero id, ids ascending", () => {
    // 3×2×2 volume, z,y,x
    const a = Uint32Array.from([
      7, 7, 0, //
      3, 7, 3, //
      0, 0, 0, //
      3, 3, 9,
    ]);
    const s = computeSupervoxelStats(a, { x: 3, y: 2, z: 2 });
    expect(s.ids).toEqual([3, 7, 9]);
    expect(s.sizes).toEqual([4, 3, 1]);
    // id 3: (0,1,0) (2,1,0) (0,1,1) (1,1,1) → mean (0.75, 1, 0.5)
    expect(s.centroids.slice(0, 3)).toEqual([0.75, 1, 0.5]);
    expect(s.centroids.slice(3, 6)).toEqual([0.667, 0.333, 0]);
    expect(s.centroids.slice(6, 9)).toEqual([2, 1, 1]);
  });
});
