import { describe, expect, it } from "vitest";
import { consensusInBox, faceExits, neighbourSeeds } from "./cube-exits";

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
