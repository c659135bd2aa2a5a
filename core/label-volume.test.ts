import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LabelVolume, assembleBox, statsInBox, supervoxelStats } from "./label-volume";
import { type Box, type Vec3, boxSize, chunkBox, chunkKey, chunksForBox, clampBox } from "./volume";

// Deterministic random labels with runs (like real segmentations) and some zeros.
function randomLabels(shape: Vec3, seed: number, maxId = 9): Uint32Array {
  const out = new Uint32Array(shape.x * shape.y * shape.z);
  let s = seed >>> 0 || 1;
  let cur = 0;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    if ((s >>> 0) % 4 === 0) cur = (s >>> 8) % (maxId + 1);
    out[i] = cur;
  }
  return out;
}

// Reference: read a box voxel by voxel.
function extract(vol: LabelVolume, b: Box): Uint32Array {
  const s = boxSize(b);
  const out = new Uint32Array(s.x * s.y * s.z);
  let i = 0;
  for (let z = b.z0; z < b.z1; z++) for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) out[i++] = vol.get(x, y, z);
  return out;
}

function chunkAll(vol: LabelVolume, chunkSize: number): Map<string, Uint32Array> {
  const all = { x0: 0, y0: 0, z0: 0, x1: vol.shape.x, y1: vol.shape.y, z1: vol.shape.z };
  const map = new Map<string, Uint32Array>();
  for (const { cx, cy, cz } of chunksForBox(all, chunkSize)) {
    map.set(chunkKey(cx, cy, cz), extract(vol, chunkBox(cx, cy, cz, chunkSize, vol.shape)));
  }
  return map;
}

describe("LabelVolume", () => {
  it("indexes z slowest, x fastest, and reads 0 outside", () => {
    const shape = { x: 3, y: 4, z: 5 };
    const data = new Uint32Array(60).map((_, i) => i + 1);
    const v = new LabelVolume(data, shape);
    expect(v.index(2, 1, 3)).toBe((3 * 4 + 1) * 3 + 2);
    expect(v.get(2, 1, 3)).toBe(v.index(2, 1, 3) + 1);
    expect(v.get(0, 0, 0)).toBe(1);
    expect(v.get(3, 0, 0)).toBe(0);
    expect(v.get(0, -1, 0)).toBe(0);
    expect(v.get(0, 0, 5)).toBe(0);
  });

  it("rejects an array that doesn't match the shape", () => {
    expect(() => new LabelVolume(new Uint32Array(10), { x: 2, y: 2, z: 2 })).toThrow(/shape/);
  });
});

describe("assembleBox", () => {
  const shape = { x: 70, y: 45, z: 33 };
  const vol = new LabelVolume(randomLabels(shape, 7, 1000), shape);
  const chunkSize = 16;
  const chunks = chunkAll(vol, chunkSize);

  it("equals a voxel-by-voxel read for random boxes (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 75 }),
        fc.integer({ min: -5, max: 50 }),
        fc.integer({ min: -5, max: 38 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (x0, y0, z0, w, h, d) => {
          const b = { x0, y0, z0, x1: x0 + w, y1: y0 + h, z1: z0 + d };
          expect(assembleBox(b, chunks, chunkSize, shape)).toEqual(extract(vol, clampBox(b, shape)));
        },
      ),
    );
  });

  it("works for the whole volume and is also reachable as LabelVolume.assembleBox", () => {
    const all = { x0: 0, y0: 0, z0: 0, x1: 70, y1: 45, z1: 33 };
    expect(LabelVolume.assembleBox(all, chunks, chunkSize, shape)).toEqual(vol.data);
  });

  it("reads missing chunks as 0", () => {
    const partial = new Map(chunks);
    partial.delete(chunkKey(1, 0, 0));
    const b = { x0: 10, y0: 0, z0: 0, x1: 20, y1: 2, z1: 1 };
    const got = assembleBox(b, partial, chunkSize, shape);
    expect(Array.from(got.slice(0, 6))).toEqual(Array.from(extract(vol, { ...b, x1: 16, y1: 1 })));
    expect(Array.from(got.slice(6, 10))).toEqual([0, 0, 0, 0]);
  });

  it("rejects a chunk of the wrong size", () => {
    const bad = new Map(chunks);
    bad.set(chunkKey(0, 0, 0), new Uint32Array(10));
    expect(() => assembleBox({ x0: 0, y0: 0, z0: 0, x1: 4, y1: 4, z1: 4 }, bad, chunkSize, shape)).toThrow(/0_0_0/);
  });
});

// Reference statistics by brute force.
function naiveStats(labels: Uint32Array, shape: Vec3, b: Box) {
  const m = new Map<number, [number, number, number, number]>();
  for (let z = b.z0; z < b.z1; z++)
    for (let y = b.y0; y < b.y1; y++)
      for (let x = b.x0; x < b.x1; x++) {
        const id = labels[(z * shape.y + y) * shape.x + x]!;
        if (id === 0) continue;
        const e = m.get(id) ?? [0, 0, 0, 0];
        e[0]++;
        e[1] += x;
        e[2] += y;
        e[3] += z;
        m.set(id, e);
      }
  const ids = [...m.keys()].sort((a, c) => a - c);
  return {
    ids,
    sizes: ids.map((id) => m.get(id)![0]),
    centroids: ids.flatMap((id) => {
      const e = m.get(id)!;
      return [e[1] / e[0], e[2] / e[0], e[3] / e[0]];
    }),
  };
}

describe("supervoxelStats / statsInBox", () => {
  it("counts a hand-made volume", () => {
    // 2x2x1: ids 5 at (0,0),(1,0); 3 at (0,1); 0 at (1,1)
    const s = supervoxelStats(new Uint32Array([5, 5, 3, 0]), { x: 2, y: 2, z: 1 });
    expect(Array.from(s.ids)).toEqual([3, 5]);
    expect(Array.from(s.sizes)).toEqual([1, 2]);
    expect(Array.from(s.centroids)).toEqual([0, 1, 0, 0.5, 0, 0]);
  });

  it("matches brute force on random volumes with many ids (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 600 }), (seed, maxId) => {
        const shape = { x: 13, y: 9, z: 7 };
        const labels = randomLabels(shape, seed, maxId);
        const all = { x0: 0, y0: 0, z0: 0, x1: 13, y1: 9, z1: 7 };
        const got = supervoxelStats(labels, shape);
        const want = naiveStats(labels, shape, all);
        expect(Array.from(got.ids)).toEqual(want.ids);
        expect(Array.from(got.sizes)).toEqual(want.sizes);
        got.centroids.forEach((c, i) => expect(c).toBeCloseTo(want.centroids[i]!, 9));
      }),
      { numRuns: 50 },
    );
  });

  it("statsInBox only counts voxels in the (clipped) box (property)", () => {
    const shape = { x: 20, y: 15, z: 10 };
    const labels = randomLabels(shape, 99, 50);
    fc.assert(
      fc.property(
        fc.integer({ min: -3, max: 22 }),
        fc.integer({ min: -3, max: 17 }),
        fc.integer({ min: -3, max: 12 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 25 }),
        (x0, y0, z0, w, h, d) => {
          const b = { x0, y0, z0, x1: x0 + w, y1: y0 + h, z1: z0 + d };
          const got = statsInBox(labels, shape, b);
          const want = naiveStats(labels, shape, clampBox(b, shape));
          expect(Array.from(got.ids)).toEqual(want.ids);
          expect(Array.from(got.sizes)).toEqual(want.sizes);
          got.centroids.forEach((c, i) => expect(c).toBeCloseTo(want.centroids[i]!, 9));
        },
      ),
    );
  });

  it("handles ids above 2^31 and an all-zero volume", () => {
    const big = 4_000_000_000;
    const s = supervoxelStats(new Uint32Array([big, 0, 1, big]), { x: 4, y: 1, z: 1 });
    expect(Array.from(s.ids)).toEqual([1, big]);
    expect(Array.from(s.sizes)).toEqual([1, 2]);
    const empty = supervoxelStats(new Uint32Array(8), { x: 2, y: 2, z: 2 });
    expect(empty.ids.length).toBe(0);
    expect(empty.centroids.length).toBe(0);
  });
});
