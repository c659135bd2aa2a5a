import { describe, expect, it } from "vitest";
import { decodeRawChunk, decodeSkeleton, encodeSegmentationVolume, encodeSkeleton, skeletonInfo } from "./precomputed";

describe("neuroglancer precomputed", () => {
  it("skeleton: header, positions (+offset), parent→child edges, radius in nm, round trip", () => {
    const sk = { nodes: [{ x: 0, y: 0, z: 0, radius: 1, radiusNm: 10, parent: -1 }, { x: 1, y: 2, z: 3, radius: 0.5, parent: 0 }] };
    const bytes = encodeSkeleton(sk, { x: 8, y: 8, z: 40 }, { x: 100, y: 0, z: 5 });
    const dv = new DataView(bytes.buffer);
    expect([dv.getUint32(0, true), dv.getUint32(4, true)]).toEqual([2, 1]);
    const d = decodeSkeleton(bytes);
    expect([...d.positions]).toEqual([100, 0, 5, 101, 2, 8]);
    expect([...d.edges]).toEqual([0, 1]);
    expect([...d.radius]).toEqual([10, 4]);
    expect(() => decodeSkeleton(bytes.subarray(0, bytes.length - 1))).toThrow(/need/);
    expect(skeletonInfo({ x: 8, y: 8, z: 40 }).transform).toEqual([8, 0, 0, 0, 0, 8, 0, 0, 0, 0, 40, 0]);
  });

  it("volume: chunks clipped at the edge, named in absolute voxels, x fastest; reassembles exactly", () => {
    const shape = { x: 5, y: 3, z: 2 };
    const labels = Uint32Array.from({ length: 30 }, (_, i) => i * 7);
    const { info, chunks } = encodeSegmentationVolume(labels, shape, { voxelSize: { x: 4, y: 4, z: 40 }, offset: { x: 10, y: 20, z: 30 }, chunk: 4 });
    expect(info.scales[0]).toMatchObject({ key: "4_4_40", size: [5, 3, 2], voxel_offset: [10, 20, 30], chunk_sizes: [[4, 4, 4]], encoding: "raw" });
    expect(chunks.map((c) => c.path)).toEqual(["4_4_40/10-14_20-23_30-32", "4_4_40/14-15_20-23_30-32"]);
    const back = new Uint32Array(30);
    for (const c of chunks) {
      const { box, labels: l } = decodeRawChunk(c.path.split("/")[1]!, c.data);
      let k = 0;
      for (let z = box.z0; z < box.z1; z++)
        for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) back[((z - 30) * 3 + (y - 20)) * 5 + (x - 10)] = l[k++]!;
    }
    expect([...back]).toEqual([...labels]);
    expect(() => decodeRawChunk("0-1_0-1_0-1", new Uint8Array(3))).toThrow(/needs 4/);
  });
});
