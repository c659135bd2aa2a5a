import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capShares, dawidSkene, voteLogOdds, type WorkerPrior } from "./dawid-skene";

const weak: WorkerPrior = { sensitivity: { alpha: 3.2, beta: 0.8 }, specificity: { alpha: 3.2, beta: 0.8 } };

/** A small deterministic PRNG so the tests are reproducible. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe("dawidSkene", () => {
  it("agrees with unanimous workers, confidently", () => {
    const r = dawidSkene({ weights: [1, 1, 1, 1], votes: [[1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 0, 0]], priors: [weak, weak, weak] });
    expect(r.converged).toBe(true);
    expect(Array.from(r.posterior).map((p) => p > 0.5)).toEqual([true, true, false, false]);
    expect(Math.min(r.posterior[0]!, r.posterior[1]!)).toBeGreaterThan(0.95);
    expect(Math.max(r.posterior[2]!, r.posterior[3]!)).toBeLessThan(0.05);
  });

  it("learns that a worker who disagrees with the rest is unreliable and outvotes them", () => {
    const truth = [1, 1, 1, 0, 0, 0, 1, 0];
    const liar = truth.map((v) => 1 - v);
    const r = dawidSkene({ weights: truth.map(() => 1), votes: [truth, truth, liar], priors: [weak, weak, weak] });
    expect(Array.from(r.posterior).map((p) => (p > 0.5 ? 1 : 0))).toEqual(truth);
    expect(r.sensitivity[2]!).toBeLessThan(0.5);
    expect(r.sensitivity[0]!).toBeGreaterThan(0.8);
  });

  it("separates sensitivity from specificity: a worker who only misses keeps strong in votes", () => {
    // Worker 2 never selects anything wrong but misses half of the truth.
    const truth = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const careless = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    const r = dawidSkene({ weights: truth.map(() => 1), votes: [truth, careless], priors: [weak, weak] });
    expect(r.specificity[1]!).toBeGreaterThan(r.sensitivity[1]!);
    const odds = voteLogOdds(r.sensitivity[1]!, r.specificity[1]!);
    expect(odds.inVote).toBeGreaterThan(-odds.outVote);
  });

  it("weighs items by volume: a big item decides more of a worker's estimate than a speck", () => {
    const votes = [[1, 1], [1, 0]];
    const bigFirst = dawidSkene({ weights: [1000, 1], votes, priors: [weak, weak] });
    const bigSecond = dawidSkene({ weights: [1, 1000], votes, priors: [weak, weak] });
    // Worker 1 agreed with worker 0 on the big item only in the first case.
    expect(bigFirst.sensitivity[1]!).toBeGreaterThan(bigSecond.sensitivity[1]!);
  });

  it("handles no items and no workers", () => {
    expect(dawidSkene({ weights: [], votes: [[], []], priors: [weak, weak] }).posterior.length).toBe(0);
    const none = dawidSkene({ weights: [1, 2], votes: [], priors: [] });
    expect(Array.from(none.posterior)).toEqual([0.5, 0.5]);
  });

  it("rejects mismatched inputs", () => {
    expect(() => dawidSkene({ weights: [1], votes: [[1]], priors: [] })).toThrow(/priors/);
    expect(() => dawidSkene({ weights: [1, 1], votes: [[1]], priors: [weak] })).toThrow(/labels 1 items/);
  });

  it("beats the plain majority against random spammers (3 good workers, 4 spammers, known from priors)", () => {
    const rand = rng(7);
    const n = 400;
    const truth = Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
    const good = () => truth.map((v) => (rand() < 0.9 ? v : 1 - v));
    const spam = () => truth.map(() => (rand() < 0.5 ? 1 : 0));
    const votes = [good(), good(), good(), spam(), spam(), spam(), spam()];
    const proven: WorkerPrior = { sensitivity: { alpha: 18, beta: 2 }, specificity: { alpha: 18, beta: 2 } };
    const spammer: WorkerPrior = { sensitivity: { alpha: 10, beta: 10 }, specificity: { alpha: 10, beta: 10 } };
    const r = dawidSkene({ weights: truth.map(() => 1), votes, priors: [proven, proven, proven, spammer, spammer, spammer, spammer] });
    const dsErrors = truth.filter((v, i) => (r.posterior[i]! > 0.5 ? 1 : 0) !== v).length;
    const majorityErrors = truth.filter((v, i) => (votes.reduce((s, w) => s + w[i]!, 0) * 2 > votes.length ? 1 : 0) !== v).length;
    expect(dsErrors).toBeLessThan(majorityErrors);
    expect(dsErrors / n).toBeLessThan(0.05);
    // The spammers' estimated votes carry almost no information.
    for (const j of [3, 4, 5, 6]) expect(r.sensitivity[j]! + r.specificity[j]!).toBeGreaterThan(0.8), expect(r.sensitivity[j]! + r.specificity[j]!).toBeLessThan(1.2);
  });

  const case_ = fc
    .record({ n: fc.integer({ min: 1, max: 12 }), m: fc.integer({ min: 1, max: 5 }), seed: fc.integer() })
    .map(({ n, m, seed }) => {
      const rand = rng(seed);
      return {
        weights: Array.from({ length: n }, () => 1 + Math.floor(rand() * 500)),
        votes: Array.from({ length: m }, () => Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0))),
        priors: Array.from({ length: m }, () => ({
          sensitivity: { alpha: 1 + rand() * 10, beta: 1 + rand() * 3 },
          specificity: { alpha: 1 + rand() * 10, beta: 1 + rand() * 3 },
        })),
      };
    });

  it("property: posteriors are probabilities; the result does not depend on the workers' order", () => {
    fc.assert(
      fc.property(case_, (c) => {
        const a = dawidSkene(c);
        for (const p of a.posterior) expect(p >= 0 && p <= 1).toBe(true);
        const rev = dawidSkene({ weights: c.weights, votes: [...c.votes].reverse(), priors: [...c.priors].reverse() });
        a.posterior.forEach((p, i) => expect(rev.posterior[i]!).toBeCloseTo(p, 9));
        // Same input, bit-identical output.
        expect(Array.from(dawidSkene(c).posterior)).toEqual(Array.from(a.posterior));
      }),
    );
  });

  it("property: flipping every vote, swapping sensitivity and specificity priors, flips the posteriors", () => {
    fc.assert(
      fc.property(case_, (c) => {
        const a = dawidSkene(c);
        const flipped = dawidSkene({
          weights: c.weights,
          votes: c.votes.map((v) => v.map((x) => 1 - x)),
          priors: c.priors.map((p) => ({ sensitivity: p.specificity, specificity: p.sensitivity })),
        });
        a.posterior.forEach((p, i) => expect(flipped.posterior[i]!).toBeCloseTo(1 - p, 6));
      }),
    );
  });

  it("property: one more in vote from a worker never lowers an item's posterior (same parameters)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.51, max: 0.99, noNaN: true }), fc.double({ min: 0.51, max: 0.99, noNaN: true }), (sens, spec) => {
        const o = voteLogOdds(sens, spec);
        expect(o.inVote).toBeGreaterThan(o.outVote);
      }),
    );
  });
});

describe("capShares", () => {
  it("lowers the biggest weights so none exceeds the share, keeping the rest", () => {
    expect(capShares([1e6, 1, 1, 1, 1], 0.25)).toEqual([4 / 3, 1, 1, 1, 1]);
    expect(capShares([5, 1, 1, 1], 0.5)).toEqual([3, 1, 1, 1]);
    expect(capShares([2, 3], 0.25)).toEqual([2, 2]);
    expect(capShares([], 0.25)).toEqual([]);
  });

  it("property: no share above the cap, order kept, small weights untouched", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 5, maxLength: 40 }), fc.double({ min: 0.2, max: 1, noNaN: true }), (w, share) => {
        const c = capShares(w, share);
        const total = c.reduce((a, b) => a + b, 0);
        for (const x of c) expect(x / total).toBeLessThanOrEqual(share + 1e-9);
        for (let i = 0; i < w.length; i++) {
          expect(c[i]!).toBeLessThanOrEqual(w[i]! + 1e-9);
          for (let j = 0; j < w.length; j++) if (w[i]! > w[j]!) expect(c[i]!).toBeGreaterThanOrEqual(c[j]! - 1e-9);
        }
      }),
    );
  });
});
