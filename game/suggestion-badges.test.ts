import { describe, expect, it } from "vitest";
import { badgePositions } from "./suggestion-badges";

// A 10×6 slice: supervoxel 5 is a ring around 9 (its centroid lies in 9), 7 a block, 8 a one-voxel sliver.
const W = 10;
const H = 6;
const rows = [
  "5550000000",
  "5950777000",
  "5550777000",
  "0000777000",
  "0000000008",
  "0000000000",
];
const labels = Uint32Array.from(rows.join("").split("").map(Number));
const at = (p: { x: number; y: number }) => labels[Math.floor(p.y) * W + Math.floor(p.x)];

describe("badgePositions", () => {
  it("puts each badge on a voxel of its own group, at the voxel centre, in the group order", () => {
    const groups = [[7], [5], [8]];
    const points = badgePositions(labels, W, H, groups);
    expect(points).toHaveLength(3);
    points.forEach((p, k) => {
      expect(p).not.toBeNull();
      expect(groups[k]).toContain(at(p!));
      expect(p!.x % 1).toBe(0.5);
    });
    expect(points[0]).toEqual({ x: 5.5, y: 2.5 }); // the block's interior centre
  });

  it("a group whose centroid falls outside it still gets a point inside it", () => {
    const [p] = badgePositions(labels, W, H, [[5]]);
    expect(at(p!)).toBe(5);
  });

  it("takes several supervoxels as one group", () => {
    const [p] = badgePositions(labels, W, H, [[5, 9]]);
    expect(p).toEqual({ x: 1.5, y: 1.5 });
  });

  it("prefers an interior voxel to a one-voxel-thin tail nearer the centroid", () => {
    // A 3×3 block with a long thin tail: the centroid (2.8, 1) is nearest to the tail's first voxel.
    const l = Uint32Array.from(["666000000", "666666666", "666000000"].join("").split("").map(Number));
    expect(badgePositions(l, 9, 3, [[6]])).toEqual([{ x: 2.5, y: 1.5 }]);
  });

  it("no badge for a group with no voxel on this slice", () => {
    expect(badgePositions(labels, W, H, [[42], [7]])).toEqual([null, { x: 5.5, y: 2.5 }]);
    expect(badgePositions(labels, W, H, [])).toEqual([]);
  });
});
