import { describe, expect, it } from "vitest";
import { consensusInBox, faceCounts, faceExits, neighbourSeeds, reentry, unjudgedSeeds } from "./cube-exits";

// A 4×3×2 cube (x fastest): label = 1 along the x = 3 face, 2 in one corner, 0 elsewhere.
const size = { x: 4, y: 3, z: 2 };
const labels = new Uint32Array(24);
for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) labels[(z * 3 + y) * 4 + 3] = 1;
labels[0] = 2;

describe("faceExits", () => {
  it("counts consensus voxels on each face plane", () => {
    const exits = faceExits(labels, size, new Set([1]));
    expect(exits.map((e) => `${e.axis}${e.dir > 0 ? "+" : "-"}:${e.voxels}`)).toEqual(["x-:0", "x+:6", "y-:2", "y+:2", "z-:3", "z+:3"]);
  });

  it("sees nothing when the consensus is empty and rejects a wrong-sized array", () => {
    expect(faceExits(labels, size, new Set()).every((e) => e.voxels === 0)).toBe(true);
    expect(() => faceExits(labels.subarray(1), size, new Set([1]))).toThrow(/needs 24/);
  });
});

describe("consensusInBox", () => {
  it("lists consensus supervoxels with enough voxels inside a sub-box", () => {
    const all = new Set([1, 2]);
    expect(consensusInBox(labels, size, all, { x0: 2, y0: 0, z0: 0, x1: 4, y1: 3, z1: 2 })).toEqual([1]);
    expect(consensusInBox(labels, size, all, { x0: -5, y0: -5, z0: -5, x1: 9, y1: 9, z1: 9 })).toEqual([1, 2]);
    expect(consensusInBox(labels, size, all, { x0: 0, y0: 0, z0: 0, x1: 4, y1: 3, z1: 2 }, 2)).toEqual([1]);
    expect(consensusInBox(labels, size, new Set([2]), { x0: 2, y0: 0, z0: 0, x1: 4, y1: 3, z1: 2 })).toEqual([]);
  });
});

describe("neighbourSeeds", () => {
  it("keeps supervoxels the parent cube saw mostly, else the best-seen one", () => {
    const inOverlap = new Map([[1, 80], [2, 10], [3, 50]]);
    const inNeighbour = new Map([[1, 100], [2, 5000], [3, 60]]);
    expect(neighbourSeeds(inOverlap, inNeighbour, 0.5)).toEqual([1, 3]);
    expect(neighbourSeeds(new Map([[2, 10], [4, 30]]), new Map([[2, 5000], [4, 3000]]), 0.5)).toEqual([4]);
    expect(neighbourSeeds(new Map(), inNeighbour, 0.5)).toEqual([]);
  });
});

describe("faceCounts", () => {
  it("counts each consensus supervoxel's voxels on one face plane, agreeing with faceExits", () => {
    const all = new Set([1, 2]);
    expect([...faceCounts(labels, size, all, { axis: "x", dir: 1 })]).toEqual([[1, 6]]);
    expect([...faceCounts(labels, size, all, { axis: "x", dir: -1 })]).toEqual([[2, 1]]);
    expect([...faceCounts(labels, size, all, { axis: "z", dir: -1 })].sort()).toEqual([[1, 3], [2, 1]]);
    for (const e of faceExits(labels, size, all)) {
      const n = [...faceCounts(labels, size, all, e).values()].reduce((a, b) => a + b, 0);
      expect(n).toBe(e.voxels);
    }
  });
});

describe("reentry", () => {
  const onFace = new Map([[5, 40], [6, 25], [7, 10]]);
  const none = new Map<number, Set<number>>();
  it("hands on the seeds the traced cell does not have when enough of the face is new", () => {
    expect(reentry([7, 5, 6], onFace, new Set([9]), none, 30)).toEqual([5, 6, 7]);
    expect(reentry([5, 6, 7], onFace, new Set([5]), none, 30)).toEqual([6, 7]);
  });
  it("is null when the cell's traces already have every seed", () => {
    expect(reentry([5, 6], onFace, new Set([5, 6, 8]), none, 1)).toBeNull();
    expect(reentry([], onFace, new Set(), none, 1)).toBeNull();
  });
  it("leaves out seeds next to what the cell's traces have (judged there and rejected)", () => {
    const adjacency = new Map([[6, new Set([8, 7])], [8, new Set([6])], [7, new Set([6])]]);
    expect(reentry([5, 6, 7], onFace, new Set([8]), adjacency, 30)).toEqual([5, 7]);
    expect(unjudgedSeeds([6, 7], new Set([8]), adjacency)).toEqual([7]);
    expect(reentry([6], onFace, new Set([8]), adjacency, 1)).toBeNull();
  });
  it("is null when the new part of the exit is too thin (the same rule as any exit)", () => {
    expect(reentry([6, 7], onFace, new Set([5]), none, 36)).toBeNull();
    expect(reentry([6, 7], onFace, new Set([5]), none, 35)).toEqual([6, 7]);
  });
});
