import { describe, expect, it } from "vitest";
import { segmentationScores } from "./segmentation-metrics";

const u = (a: number[]) => Uint32Array.from(a);

describe("segmentationScores (hand-computed)", () => {
  it("a perfect segmentation (ids permuted) scores 0 / 0 / 0 / 100 %", () => {
    const s = segmentationScores(u([5, 5, 9, 9, 7]), u([1, 1, 2, 2, 3]), 5);
    expect(s).toMatchObject({ voxels: 5, segments: 3, bodies: 3, viSplit: 0, viMerge: 0, adaptedRandError: 0, purity: 1, supervoxelsPerNeuron: 1 });
  });
  it("one segment over two equal bodies: merge 1 bit, purity 1/2, ARE 1/3", () => {
    const s = segmentationScores(u([1, 1, 1, 1]), u([1, 1, 2, 2]), 4);
    expect(s.viSplit).toBe(0);
    expect(s.viMerge).toBeCloseTo(1, 12);
    expect(s.purity).toBe(0.5);
    // Σn² = 8, Σa² = 8, Σb² = 16 → P = 1/2, R = 1, F = 2/3
    expect(s.adaptedRandError).toBeCloseTo(1 / 3, 12);
    // the one segment is assigned to body 1 (tie → lower id): 1 segment over 2 bodies
    expect(s.supervoxelsPerNeuron).toBe(0.5);
    expect(s.supervoxelsPerNeuronMedian).toBe(0.5);
  });
  it("one body split in four: split 2 bits, 4 supervoxels per neuron, purity 100 %", () => {
    const s = segmentationScores(u([1, 2, 3, 4]), u([7, 7, 7, 7]), 4);
    expect(s.viSplit).toBeCloseTo(2, 12);
    expect(s.viMerge).toBe(0);
    expect(s.purity).toBe(1);
    expect(s.supervoxelsPerNeuron).toBe(4);
    // Σn² = 4, Σa² = 16, Σb² = 4 → P = 1, R = 1/4, F = 0.4
    expect(s.adaptedRandError).toBeCloseTo(0.6, 12);
  });
  it("mixed case, ignoring ground-truth 0", () => {
    // gt:  1 1 1 2 2 0 ; seg: 1 1 2 2 2 1   (last voxel ignored)
    const s = segmentationScores(u([1, 1, 2, 2, 2, 1]), u([1, 1, 1, 2, 2, 0]), 6);
    expect(s.voxels).toBe(5);
    // n: (1,1)=2, (1,2)=1, (2,2)=2 ; a: 3, 2 ; b: 2, 3
    const H = (p: number) => -p * Math.log2(p);
    // H(seg|gt) = 3/5 · H(2/3,1/3) ; H(gt|seg) = 3/5 · H(1/3,2/3)
    expect(s.viSplit).toBeCloseTo((3 / 5) * (H(2 / 3) + H(1 / 3)), 12);
    expect(s.viMerge).toBeCloseTo((3 / 5) * (H(1 / 3) + H(2 / 3)), 12);
    expect(s.purity).toBeCloseTo(4 / 5, 12); // seg 1 → body 1 (2), seg 2 → body 2 (2)
    const P = 9 / 13; // Σn² = 9, Σb² = 13
    const R = 9 / 13; // Σa² = 13
    expect(s.adaptedRandError).toBeCloseTo(1 - (2 * P * R) / (P + R), 12);
  });
  it("restricts to a z range", () => {
    // plane of 2 voxels, 3 slices
    const seg = u([1, 1, 2, 3, 4, 4]);
    const gt = u([1, 2, 3, 3, 5, 5]);
    const s = segmentationScores(seg, gt, 2, 1, 2);
    expect(s).toMatchObject({ voxels: 2, segments: 2, bodies: 1, purity: 1, supervoxelsPerNeuron: 2 });
    expect(() => segmentationScores(seg, gt, 2, 2, 4)).toThrow(/outside/);
    expect(() => segmentationScores(seg, u([0, 0, 0, 0, 0, 0]), 2)).toThrow(/no ground-truth/);
  });
});
