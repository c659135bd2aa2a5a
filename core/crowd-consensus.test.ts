import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chosen, crowdConsensus, retirement, type CrowdTrace } from "./crowd-consensus";
import { NEW_PLAYER_PRIOR } from "./reliability";

const trace = (workerId: string, supervoxels: number[], majorityWeight = 1, prior = NEW_PLAYER_PRIOR): CrowdTrace => ({ workerId, supervoxels, priors: { thin: prior, thick: prior }, majorityWeight });
const sizes = new Map([[1, 1000], [2, 500], [3, 400], [4, 50], [5, 3000]]);

describe("crowdConsensus", () => {
  it("keeps seeds, takes unanimous picks, and is confident when everyone agrees", () => {
    const c = crowdConsensus({ traces: [trace("a", [1, 2, 3]), trace("b", [1, 2, 3]), trace("c", [1, 3, 2])], seeds: [1], sizes });
    expect(c.items).toEqual([2, 3]);
    expect(c.dawidSkene.supervoxels).toEqual([1, 2, 3]);
    expect(c.majority.supervoxels).toEqual([1, 2, 3]);
    expect(c.dawidSkene.confidence).toBeGreaterThan(0.95);
    expect(c.majority.confidence).toBe(1);
  });

  it("is unsure when players split over a big supervoxel", () => {
    const c = crowdConsensus({ traces: [trace("a", [1, 5]), trace("b", [1]), trace("c", [1, 5])], seeds: [1], sizes });
    expect(c.dawidSkene.supervoxels).toEqual([1, 5]);
    expect(c.dawidSkene.confidence).toBeLessThan(0.95);
    expect(c.majority.confidence).toBeLessThan(0.8);
  });

  it("a giant supervoxel is measured against the rest of the answer, not against itself", () => {
    // Three new players all add a supervoxel seven times the size of the rest: were it wrong, it would be
    // most of the cube's answer, so unanimity among unproven players is not enough to retire.
    const big = new Map([[1, 5000], [2, 5000], [3, 5000], [9, 100_000]]);
    const all = [trace("a", [1, 2, 3, 9]), trace("b", [1, 2, 3, 9]), trace("c", [1, 2, 3, 9])];
    const c = crowdConsensus({ traces: all, seeds: [1], sizes: big });
    expect(c.dawidSkene.supervoxels).toEqual([1, 2, 3, 9]);
    expect(c.dawidSkene.confidence).toBeLessThan(0.95);
    // The same agreement over supervoxels of the answer's own scale retires.
    const small = crowdConsensus({ traces: all, seeds: [1], sizes: new Map([[1, 5000], [2, 5000], [3, 5000], [9, 5000]]) });
    expect(small.dawidSkene.confidence).toBeGreaterThan(0.95);
  });

  it("weighted majority follows the weights: one trusted player outvotes two untrusted ones", () => {
    const c = crowdConsensus({ traces: [trace("a", [1, 2], 1), trace("b", [1, 4], 0.1), trace("c", [1, 4], 0.1)], seeds: [1], sizes });
    expect(c.majority.supervoxels).toEqual([1, 2]);
    expect(chosen(c, "WEIGHTED_MAJORITY")).toBe(c.majority);
    expect(chosen(c, "DAWID_SKENE")).toBe(c.dawidSkene);
  });

  it("Dawid–Skene follows proven reliabilities: a proven expert outvotes two unproven players", () => {
    const expert = { sensitivity: { alpha: 40, beta: 1 }, specificity: { alpha: 40, beta: 1 } };
    const spammer = { sensitivity: { alpha: 10, beta: 10 }, specificity: { alpha: 10, beta: 10 } };
    const c = crowdConsensus({ traces: [trace("a", [1, 2], 1, expert), trace("b", [1, 4], 1, spammer), trace("c", [1, 4], 1, spammer)], seeds: [1], sizes });
    expect(c.dawidSkene.supervoxels).toEqual([1, 2]);
    expect(c.majority.supervoxels).toEqual([1, 4]);
  });

  it("property: the result does not depend on the order of traces or of ids within a trace", () => {
    const ids = fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 5 });
    fc.assert(
      fc.property(fc.array(ids, { minLength: 1, maxLength: 6 }), fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }), (ts, ws) => {
        const traces = ts.map((s, i) => trace(`w${i}`, s, ws[i]!));
        const a = crowdConsensus({ traces, seeds: [1], sizes });
        const b = crowdConsensus({ traces: [...traces].reverse().map((t) => ({ ...t, supervoxels: [...t.supervoxels].reverse() })), seeds: [1], sizes });
        expect(b).toEqual(a);
        for (const m of [a.dawidSkene, a.majority]) {
          expect(m.confidence).toBeGreaterThanOrEqual(0);
          expect(m.confidence).toBeLessThanOrEqual(1);
          expect(m.supervoxels).toContain(1);
        }
      }),
    );
  });
});

describe("retirement", () => {
  const base = { minPlayers: 3, maxPlayers: 6, threshold: 0.95 };
  it("waits for the minimum, retires when confident, asks one more player when not, stops at the maximum", () => {
    expect(retirement({ ...base, submissions: 2, confidence: 1 })).toEqual({ retire: false, wanted: 3 });
    expect(retirement({ ...base, submissions: 3, confidence: 0.96 })).toEqual({ retire: true, wanted: 3 });
    expect(retirement({ ...base, submissions: 3, confidence: 0.9 })).toEqual({ retire: false, wanted: 4 });
    expect(retirement({ ...base, submissions: 6, confidence: 0.1 })).toEqual({ retire: true, wanted: 6 });
  });

  it("lets two proven players retire a cube they agree on; one unproven player among them means three", () => {
    expect(retirement({ ...base, submissions: 2, confidence: 0.99, provenPlayers: 2 })).toEqual({ retire: true, wanted: 2 });
    expect(retirement({ ...base, submissions: 2, confidence: 0.99, provenPlayers: 1 })).toEqual({ retire: false, wanted: 3 });
    expect(retirement({ ...base, submissions: 2, confidence: 0.9, provenPlayers: 2 })).toEqual({ retire: false, wanted: 3 });
    expect(retirement({ ...base, submissions: 1, confidence: 1, provenPlayers: 1 })).toEqual({ retire: false, wanted: 2 });
    expect(retirement({ ...base, submissions: 0, confidence: 1, provenPlayers: 0 })).toEqual({ retire: false, wanted: 2 });
  });
});
