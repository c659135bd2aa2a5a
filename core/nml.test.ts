import { describe, expect, it } from "vitest";
import { parseNml, parseXml, toNml } from "./nml";

describe("NML", () => {
  const sk = {
    nodes: [
      { x: 1, y: 2, z: 3, radius: 1, radiusNm: 12, parent: -1 },
      { x: 2, y: 2, z: 3, radius: 1, parent: 0 },
      { x: 3, y: 2, z: 3, radius: 1, parent: 1 },
      { x: 2, y: 3, z: 3, radius: 1, parent: 1 },
      { x: 9, y: 9, z: 9, radius: 1, parent: -1 },
    ],
  };
  it("one thing per tree, voxel coordinates + offset, scale in nm, branch points, escaped notes", () => {
    const text = toNml(sk, { experiment: "ds", voxelSize: { x: 4, y: 4, z: 40 }, offset: { x: 10, y: 0, z: 0 }, name: 'n "1" <a>', color: "#ff0000", notes: ["CC BY 3.0 -- Janelia & co"], timeMs: 5 });
    const nml = parseNml(text);
    expect(nml.scale).toEqual({ x: 4, y: 4, z: 40 });
    expect(nml.trees.map((t) => [t.nodes.length, t.edges.length])).toEqual([[4, 3], [1, 0]]);
    expect(nml.trees[0]!.name).toBe('n "1" <a> (piece 1)');
    expect(nml.trees[0]!.nodes[0]).toEqual({ id: 1, x: 11, y: 2, z: 3, radius: 12 });
    expect(nml.trees[0]!.nodes[1]!.radius).toBe(4); // 1 voxel × mean x/y edge
    expect(nml.trees[0]!.edges).toEqual([[1, 2], [2, 3], [2, 4]]);
    expect(nml.branchpoints).toEqual([2]);
    expect(nml.comments[0]!.content).toBe("root; CC BY 3.0 -- Janelia & co");
  });
  it("the XML reader is strict", () => {
    expect(() => parseXml("<a><b></a>")).toThrow(/closes/);
    expect(() => parseXml("<a>")).toThrow(/never closed/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseNml("<other/>")).toThrow(/expected <things>/);
  });
});
