import { describe, expect, it } from "vitest";
import type { ContactGraph, Contact } from "@/core/suggestions";
import { parseEvalSuggestionsArgs, playWith, playWithout, seedOf, type NeuronTruth } from "./eval-suggestions";

// A neuron of supervoxels 1 (the seed, 100 voxels), 2 and 3 (50 each); 4 (60) and 5 (40) belong to
// another cell. 1–2 and 2–3 touch through no boundary, 1–4 and 1–5 through a membrane.
function graph(contacts: [number, number, number, number][]): ContactGraph {
  const sizes = new Map([[1, 100], [2, 50], [3, 50], [4, 60], [5, 40]]);
  const adjacency = new Map<number, Map<number, Contact>>();
  for (const [a, b, count, mean] of contacts) {
    const c = { a, b, count, sum: count * mean };
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (!adjacency.has(x)) adjacency.set(x, new Map());
      adjacency.get(x)!.set(y, c);
    }
  }
  return { sizes, adjacency };
}

const truth: NeuronTruth = {
  size: 200,
  overlap: new Map([[1, 100], [2, 50], [3, 50], [4, 2]]),
  sizes: new Map([[1, 100], [2, 50], [3, 50], [4, 60], [5, 40]]),
};

describe("the simulated players", () => {
  it("start from the supervoxel with most of the neuron", () => {
    expect(seedOf(truth)).toBe(1);
  });

  it("without suggestions: the oracle clicks the supervoxels that raise the F1 most", () => {
    const r = playWithout(truth, 0.99);
    expect(r).toMatchObject({ clicks: 2, manual: 2, accepted: 0, dismissed: 0, reached: true });
    expect(r.f1).toBeCloseTo(1, 9);
    // 90 %: the seed (F1 2·100/300 = 0.67) plus one piece (0.86) is not enough, two are.
    expect(playWithout(truth, 0.9).clicks).toBe(2);
  });

  it("with suggestions: one accept adds a group, a wrong suggestion costs one dismissal", () => {
    const g = graph([
      [1, 2, 40, 0.02],
      [2, 3, 40, 0.02],
      [1, 4, 40, 0.95],
      [1, 5, 40, 0.1], // looks like a continuation but is another cell
    ]);
    const r = playWith(truth, g, 0.99, { minContact: 1, groupMinContact: 1, groupThreshold: 0.8, rankBy: "probability" });
    // Best first: 2 (p 0.92) with its group [2, 3]: one accept reaches F1 1.
    expect(r).toMatchObject({ accepted: 1, dismissed: 0, manual: 0, reached: true });
    expect(r.clicks).toBe(r.accepted + r.dismissed + r.manual);
    expect(r.f1).toBeCloseTo(1, 9);
    const noisy = playWith(truth, g, 0.99, { minContact: 1, groupMinContact: 1, groupThreshold: 2, rankBy: "probability" });
    // No groups: 2, then 3 (p 0.92 beats 5's 0.85): two accepts.
    expect(noisy).toMatchObject({ accepted: 2, dismissed: 0, manual: 0 });
    // With 2 and 3 already excluded (dismissed), 5 comes first: it is another cell, so it is dismissed.
    const misled = playWith(truth, graph([[1, 5, 40, 0.1]]), 0.99, { minContact: 1 });
    expect(misled).toMatchObject({ accepted: 0, dismissed: 1, manual: 2, reached: true });
  });

  it("falls back to clicking when nothing is suggested, and stops when nothing helps", () => {
    const r = playWith(truth, graph([]), 0.99);
    expect(r).toMatchObject({ accepted: 0, dismissed: 0, manual: 2, reached: true });
    const unreachable: NeuronTruth = { size: 1000, overlap: new Map([[1, 100]]), sizes: new Map([[1, 100]]) };
    expect(playWithout(unreachable, 0.9)).toMatchObject({ clicks: 0, reached: false });
  });
});

describe("parseEvalSuggestionsArgs", () => {
  it("has defaults and checks its arguments", () => {
    expect(parseEvalSuggestionsArgs([])).toMatchObject({ "--dataset": "neuroproof-medulla", "--neurons": 20, "--target": 0.9, "--json": false });
    expect(parseEvalSuggestionsArgs(["--z", "150-174", "--neurons", "5", "--json"])).toMatchObject({ "--z": [150, 174], "--neurons": 5, "--json": true });
    expect(parseEvalSuggestionsArgs(["--help"])).toBe("help");
    expect(() => parseEvalSuggestionsArgs(["--z", "174-150"])).toThrow(/first slice must not be after the last/);
    expect(() => parseEvalSuggestionsArgs(["--target", "1.5"])).toThrow(/\(0, 1\]/);
    expect(() => parseEvalSuggestionsArgs(["--neurons", "0"])).toThrow(/at least 1/);
    expect(() => parseEvalSuggestionsArgs(["--dataset", "Bad Slug"])).toThrow(/slug/);
    expect(() => parseEvalSuggestionsArgs(["--frobnicate"])).toThrow(/see --help/);
  });
});
