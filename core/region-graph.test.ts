import { describe, expect, it } from "vitest";
import { agglomerate, buildRegionGraph, edgeScore, HIST_BINS, histQuantile, labelSizes, regionGraphToJson, relabel, type RegionGraph } from "./region-graph";

describe("buildRegionGraph", () => {
  it("hand example: contacts, sums over both voxels, sorted edges, 0 skipped", () => {
    // 3×2×1 slice
    // labels   1 1 2      boundary  10  20  30
    //          3 0 2                40  50  60
    const labels = Uint32Array.from([1, 1, 2, 3, 0, 2]);
    const b = Uint8Array.from([10, 20, 30, 40, 50, 60]);
    const g = buildRegionGraph(labels, b, { x: 3, y: 2, z: 1 });
    expect(g.maxId).toBe(3);
    expect(Array.from(g.edges)).toEqual([1, 2, 1, 3]);
    // 1-2: faces (x=1,y=0)-(x=2,y=0): 20+30
    // 1-3: faces (0,0)-(0,1): 10+40
    expect(Array.from(g.contacts)).toEqual([1, 1]);
    expect(Array.from(g.sums)).toEqual([50, 50]);
    expect(edgeScore(g, 0)).toBeCloseTo(25 / 255);
  });
  it("counts z faces and accumulates multiple faces", () => {
    // 2×1×2: z=0: 1 2 ; z=1: 1 2
    const labels = Uint32Array.from([1, 2, 1, 2]);
    const b = Uint8Array.from([0, 255, 255, 255]);
    const g = buildRegionGraph(labels, b, { x: 2, y: 1, z: 2 });
    expect(Array.from(g.edges)).toEqual([1, 2]);
    expect(g.contacts[0]).toBe(2);
    expect(g.sums[0]).toBe(0 + 255 + 255 + 255);
    const json = regionGraphToJson(g);
    expect(json).toEqual({ version: 1, score: "mean-boundary-probability", supervoxels: 2, edges: [1, 2], scores: [0.75], contacts: [2] });
  });
});

/** A graph from explicit (a, b, score, contacts). */
function graph(maxId: number, es: [number, number, number, number][]): RegionGraph {
  const hist = new Uint32Array(es.length * HIST_BINS);
  // every face of a contact at its mean score
  es.forEach(([, , s, c], k) => (hist[k * HIST_BINS + Math.min(HIST_BINS - 1, Math.floor((s * 255) / 16))] = c));
  return {
    maxId,
    edges: Uint32Array.from(es.flatMap(([a, b]) => [a, b])),
    sums: Float64Array.from(es.map(([, , s, c]) => s * 255 * 2 * c)),
    contacts: Uint32Array.from(es.map(([, , , c]) => c)),
    hist,
  };
}
const ones = (n: number) => new Uint32Array(n + 1).fill(10);

describe("agglomerate", () => {
  it("merges edges below the threshold, lowest first, and keeps the rest", () => {
    // chain 1 -0.1- 2 -0.6- 3 -0.2- 4
    const g = graph(4, [
      [1, 2, 0.1, 1],
      [2, 3, 0.6, 1],
      [3, 4, 0.2, 1],
    ]);
    const { map, count } = agglomerate(g, { threshold: 0.5, sizes: ones(4) });
    expect(count).toBe(2);
    expect(Array.from(map)).toEqual([0, 1, 1, 2, 2]);
    expect(agglomerate(g, { threshold: 0.05, sizes: ones(4) }).count).toBe(4);
    expect(agglomerate(g, { threshold: 0.61, sizes: ones(4) }).count).toBe(1);
  });
  it("re-scores merged contacts by their pooled mean (contact-weighted)", () => {
    // 1-2 merge first (0.1). Then (12)-3 pools 1-3 (0.2, 1 face) and 2-3 (0.8, 3 faces): (0.2+2.4)/4 = 0.65
    const g = graph(3, [
      [1, 2, 0.1, 5],
      [1, 3, 0.2, 1],
      [2, 3, 0.8, 3],
    ]);
    // without pooling, 1-3 (0.2) would merge at threshold 0.5; with pooling it must not
    expect(agglomerate(g, { threshold: 0.5, sizes: ones(3) }).count).toBe(2);
    expect(agglomerate(g, { threshold: 0.66, sizes: ones(3) }).count).toBe(1);
    expect(agglomerate(g, { threshold: 0.64, sizes: ones(3) }).count).toBe(2);
  });
  it("merges regions smaller than minSize into the lowest-score neighbour", () => {
    const g = graph(3, [
      [1, 2, 0.7, 1],
      [2, 3, 0.9, 1],
    ]);
    const sizes = Uint32Array.from([0, 100, 5, 100]);
    const r = agglomerate(g, { threshold: 0.5, sizes, minSize: 10 });
    expect(r.count).toBe(2);
    expect(Array.from(r.map)).toEqual([0, 1, 1, 2]);
  });
  it("keeps isolated regions and drops ids without voxels", () => {
    const g = graph(4, [[1, 2, 0.1, 1]]);
    const sizes = Uint32Array.from([0, 3, 3, 0, 7]);
    const r = agglomerate(g, { threshold: 0.5, sizes });
    expect(Array.from(r.map)).toEqual([0, 1, 1, 0, 2]);
  });
});

describe("quantile scores", () => {
  it("histograms contact faces by their mean byte and reads quantiles from them", () => {
    // 4×1×1: labels 1 1 | 2 2 along x, one face; 1×... build a 2-face contact over z
    const labels = Uint32Array.from([1, 2, 1, 2, 1, 2, 1, 2]); // 2×1×4, contact of 4 faces
    const b = Uint8Array.from([0, 0, 0, 0, 250, 250, 250, 250]); // two faces at 0, two at 250
    const g = buildRegionGraph(labels, b, { x: 2, y: 1, z: 4 });
    expect(g.contacts[0]).toBe(4);
    expect(Array.from(g.hist.subarray(0, HIST_BINS))).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(edgeScore(g, 0)).toBeCloseTo(125 / 255);
    expect(histQuantile(g.hist, 0, 4, 0.25)).toBeLessThan(0.07); // inside bin 0
    expect(histQuantile(g.hist, 0, 4, 0.75)).toBeGreaterThan(0.9); // inside bin 15
  });
  it("a contact that is boundary over half its faces merges by mean but not by the 75th percentile", () => {
    const labels = Uint32Array.from([1, 2, 1, 2, 1, 2, 1, 2]);
    const b = Uint8Array.from([0, 0, 0, 0, 250, 250, 250, 250]);
    const g = buildRegionGraph(labels, b, { x: 2, y: 1, z: 4 });
    const sizes = labelSizes(labels);
    expect(agglomerate(g, { threshold: 0.5, sizes }).count).toBe(1);
    expect(agglomerate(g, { threshold: 0.5, sizes, quantile: 0.75 }).count).toBe(2);
  });
});

describe("large-region caution", () => {
  it("two big regions need a score below largeThreshold; a small one merges at the threshold", () => {
    // 1 (big) -0.3- 2 (big) ; 2 -0.3- 3 (small)
    const g = graph(3, [
      [1, 2, 0.3, 1],
      [2, 3, 0.3, 1],
    ]);
    const sizes = Uint32Array.from([0, 5000, 5000, 10]);
    const r = agglomerate(g, { threshold: 0.4, sizes, largeSize: 1000, largeThreshold: 0.2 });
    expect(Array.from(r.map)).toEqual([0, 1, 2, 2]);
    expect(agglomerate(g, { threshold: 0.4, sizes }).count).toBe(1);
  });
  it("re-checks an edge whose regions grew big through other merges", () => {
    // 2 and 3 are small but become big by absorbing 1 and 4 first (lower scores)
    const g = graph(4, [
      [1, 2, 0.05, 1],
      [2, 3, 0.3, 1],
      [3, 4, 0.05, 1],
    ]);
    const sizes = Uint32Array.from([0, 900, 200, 200, 900]);
    const r = agglomerate(g, { threshold: 0.4, sizes, largeSize: 1000, largeThreshold: 0.2 });
    expect(r.count).toBe(2);
    expect(Array.from(r.map)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe("labelSizes / relabel", () => {
  it("counts and maps", () => {
    const l = Uint32Array.from([0, 1, 1, 3]);
    expect(Array.from(labelSizes(l))).toEqual([1, 2, 0, 1]);
    expect(Array.from(relabel(l, Uint32Array.from([0, 5, 0, 6]), new Uint32Array(4)))).toEqual([0, 5, 5, 6]);
  });
});
