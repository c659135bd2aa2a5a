import { describe, expect, it } from "vitest";
import { dragOrbit, project, surfacePoints, zoomOrbit } from "./neuron-3d-geometry";

function ball(n: number, r: number, id = 7) {
  const labels = new Uint32Array(n * n * n);
  const c = (n - 1) / 2;
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if ((x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 <= r * r) labels[(z * n + y) * n + x] = id;
  return labels;
}

describe("surfacePoints", () => {
  it("keeps only the surface of the selected supervoxels, centred within [-0.5, 0.5]", () => {
    const n = 21;
    const labels = ball(n, 8);
    const all = [...labels].filter((v) => v === 7).length;
    const cloud = surfacePoints(labels, { x: n, y: n, z: n }, new Set([7]));
    expect(cloud.count).toBeGreaterThan(100);
    expect(cloud.count).toBeLessThan(all); // the interior is left out
    for (let i = 0; i < cloud.positions.length; i++) expect(Math.abs(cloud.positions[i]!)).toBeLessThanOrEqual(0.5);
    // Centred: the mean of a symmetric ball's surface is the origin.
    let mx = 0;
    for (let i = 0; i < cloud.count; i++) mx += cloud.positions[i * 3]!;
    expect(Math.abs(mx / cloud.count)).toBeLessThan(0.02);
    for (const s of cloud.shades) expect(s).toBeGreaterThanOrEqual(0.3499), expect(s).toBeLessThanOrEqual(1.0001);
  });
  it("draws nothing for an unselected supervoxel and marks seeds", () => {
    const labels = ball(11, 4, 3);
    expect(surfacePoints(labels, { x: 11, y: 11, z: 11 }, new Set([9])).count).toBe(0);
    const seeded = surfacePoints(labels, { x: 11, y: 11, z: 11 }, new Set([3]), { seeds: new Set([3]) });
    expect([...seeded.seed].every((s) => s === 1)).toBe(true);
  });
  it("thins the cloud to fit maxPoints", () => {
    const labels = ball(41, 19);
    const full = surfacePoints(labels, { x: 41, y: 41, z: 41 }, new Set([7]));
    const thin = surfacePoints(labels, { x: 41, y: 41, z: 41 }, new Set([7]), { maxPoints: 1000 });
    expect(full.count).toBeGreaterThan(1000);
    expect(thin.count).toBeLessThanOrEqual(1001);
    expect(thin.count).toBeGreaterThan(50);
  });
});

describe("orbit", () => {
  it("turns a quarter with a drag of π/2 radians and clamps the pitch", () => {
    const o = dragOrbit({ yaw: 0, pitch: 0, zoom: 1 }, 150 * (Math.PI / 2), 0);
    const [x, , z] = project(o, 1, 0, 0);
    expect(x).toBeCloseTo(0);
    expect(z).toBeCloseTo(-1);
    expect(dragOrbit({ yaw: 0, pitch: 0, zoom: 1 }, 0, 1e6).pitch).toBeCloseTo((89 * Math.PI) / 180);
    expect(zoomOrbit({ yaw: 0, pitch: 0, zoom: 1 }, 100).zoom).toBe(6);
  });
});
