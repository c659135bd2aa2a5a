import { describe, expect, it } from "vitest";
import { cubeTruth, majorityBodies } from "./cube-truth";
import { reachable, ring, supervoxelAdjacency } from "./supervoxel-graph";

// One row of 6 voxels (x), two rows (y): supervoxels 1 2 3 | 4 5 6 on top of 7 7 7 | 8 8 8.
const size = { x: 6, y: 2, z: 1 };
const sv = new Uint32Array([1, 2, 3, 4, 5, 6, 7, 7, 7, 8, 8, 8]);
// Body 9 covers supervoxels 1, 2 and 5 and most of 8; 3 and 4 belong to body 1.
const gt = new Uint32Array([9, 9, 1, 1, 9, 0, 0, 0, 0, 9, 9, 0]);

describe("supervoxel graph", () => {
  it("links face-touching supervoxels, never label 0", () => {
    const adj = supervoxelAdjacency(sv, size);
    expect([...adj.get(1)!].sort()).toEqual([2, 7]);
    expect([...adj.get(8)!].sort()).toEqual([4, 5, 6, 7]);
    expect(supervoxelAdjacency(new Uint32Array([0, 1]), { x: 2, y: 1, z: 1 }).size).toBe(0);
    expect(reachable(adj, [1], new Set([1, 2, 5]))).toEqual([1, 2]);
    expect(ring(adj, new Set([1, 2]))).toEqual([3, 7]);
  });
});

describe("cubeTruth", () => {
  it("answers the body supervoxels connected to the seed; a detached piece waits for another cube", () => {
    const t = cubeTruth(sv, gt, size, 9, [1]);
    expect(t.inBody).toEqual([1, 2, 5, 8]);
    // 5 and 8 touch each other but reach 1 and 2 only through 3, 4 or 7, which are not the body.
    expect(t.answer).toEqual([1, 2]);
    expect(cubeTruth(sv, gt, size, 9, [5]).answer).toEqual([5, 8]);
  });
});

describe("majorityBodies", () => {
  it("names the body holding most of each supervoxel, 0 without a majority", () => {
    expect(majorityBodies(sv, gt)).toEqual(new Map([[1, 9], [2, 9], [3, 1], [4, 1], [5, 9], [6, 0], [7, 0], [8, 9]]));
    expect(majorityBodies(new Uint32Array([1, 1]), new Uint32Array([4, 5])).get(1)).toBe(0);
  });
});
