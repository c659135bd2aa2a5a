import { describe, expect, it } from "vitest";
import { marchingCubes, meshArea, meshVolume, smoothMask, type Mesh, type Shape3 } from "./marching-cubes";

function sphere(r: number, pad = 3): { mask: Uint8Array; shape: Shape3 } {
  const n = 2 * Math.ceil(r) + 2 * pad + 1;
  const c = (n - 1) / 2;
  const shape = { x: n, y: n, z: n };
  const mask = new Uint8Array(n * n * n);
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    if ((x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 <= r * r) mask[(z * n + y) * n + x] = 1;
  }
  return { mask, shape };
}

/** Every directed edge appears once and its reverse once: a closed, consistently oriented surface. */
function closedness(m: Mesh) {
  const directed = new Map<string, number>();
  for (let t = 0; t < m.indices.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const a = m.indices[t + k]!, b = m.indices[t + ((k + 1) % 3)]!;
      directed.set(`${a},${b}`, (directed.get(`${a},${b}`) ?? 0) + 1);
    }
  }
  let unmatched = 0, repeated = 0;
  for (const [key, count] of directed) {
    const [a, b] = key.split(",");
    if (count > 1) repeated++;
    if (!directed.has(`${b},${a}`)) unmatched++;
  }
  const edges = directed.size / 2;
  return { unmatched, repeated, euler: m.positions.length / 3 - edges + m.indices.length / 3 };
}

describe("marching cubes (tetrahedral)", () => {
  it("gives nothing for an empty field and a closed octahedron-like surface for one voxel", () => {
    expect(marchingCubes(new Uint8Array(27), { x: 3, y: 3, z: 3 }).indices.length).toBe(0);
    const one = new Uint8Array(27);
    one[13] = 1;
    const m = marchingCubes(one, { x: 3, y: 3, z: 3 });
    expect(m.indices.length).toBeGreaterThan(0);
    expect(closedness(m)).toMatchObject({ unmatched: 0, repeated: 0, euler: 2 });
    expect(meshVolume(m)).toBeGreaterThan(0);
  });

  it("a sphere phantom: watertight, outward, Euler characteristic 2, area and volume close to the sphere's", () => {
    const r = 12;
    const { mask, shape } = sphere(r);
    const m = marchingCubes(smoothMask(mask, shape), shape, 0.5);
    expect(closedness(m)).toEqual({ unmatched: 0, repeated: 0, euler: 2 });
    const area = meshArea(m), truth = 4 * Math.PI * r * r;
    expect(Math.abs(area / truth - 1), `area ${area.toFixed(1)} vs 4πr² ${truth.toFixed(1)}`).toBeLessThan(0.05);
    const vol = meshVolume(m), vTruth = (4 / 3) * Math.PI * r ** 3;
    expect(Math.abs(vol / vTruth - 1), `volume ${vol.toFixed(1)} vs ${vTruth.toFixed(1)}`).toBeLessThan(0.06);
    // Raw binary mask at 0.5: still closed; area within a staircase's excess.
    const raw = marchingCubes(mask, shape, 0.5);
    expect(closedness(raw)).toEqual({ unmatched: 0, repeated: 0, euler: 2 });
    expect(meshArea(raw) / truth).toBeGreaterThan(0.9);
    expect(meshArea(raw) / truth).toBeLessThan(1.3);
  });

  it("vertex count is stable: the same field gives the same mesh, and it scales like the area (r²)", () => {
    const a = sphere(10), b = sphere(20);
    const ma = marchingCubes(smoothMask(a.mask, a.shape), a.shape);
    const ma2 = marchingCubes(smoothMask(a.mask, a.shape), a.shape);
    expect(ma2.positions).toEqual(ma.positions);
    expect(ma2.indices).toEqual(ma.indices);
    const mb = marchingCubes(smoothMask(b.mask, b.shape), b.shape);
    const ratio = mb.positions.length / ma.positions.length;
    expect(ratio).toBeGreaterThan(3.4);
    expect(ratio).toBeLessThan(4.6);
  });

  it("a blob touching the volume's border is still closed (the border reads as outside)", () => {
    const shape = { x: 6, y: 5, z: 4 };
    const full = new Uint8Array(6 * 5 * 4).fill(1);
    const m = marchingCubes(full, shape);
    expect(closedness(m)).toEqual({ unmatched: 0, repeated: 0, euler: 2 });
    // Two separate blobs: two spheres' worth of Euler characteristic.
    const two = new Uint8Array(6 * 5 * 4);
    two[0] = 1;
    two[two.length - 1] = 1;
    expect(closedness(marchingCubes(two, shape)).euler).toBe(4);
    expect(() => marchingCubes(new Uint8Array(5), shape)).toThrow(/shape needs 120/);
  });
});
