import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { voteLogOdds } from "./dawid-skene";
import {
  evidenceFrom,
  majorityWeight,
  MAX_PRIOR_EVIDENCE,
  NEW_PLAYER_MAJORITY_WEIGHT,
  NO_EVIDENCE,
  reliabilitySummary,
  stratumOf,
  THIN_SUPERVOXEL_VOXELS,
  workerPrior,
  ZERO_EVIDENCE,
  isProven,
  PRACTICE_CUBES_TO_PROVE,
} from "./reliability";

const weightOf = (p: ReturnType<typeof workerPrior>) => {
  const m = (b: { alpha: number; beta: number }) => b.alpha / (b.alpha + b.beta);
  const o = voteLogOdds(m(p.sensitivity), m(p.specificity));
  return o.inVote - o.outVote;
};

describe("reliability", () => {
  it("a new player's vote weighs little; good practice raises it, spamming lowers it", () => {
    const fresh = weightOf(workerPrior(NO_EVIDENCE));
    const good = weightOf(workerPrior({ ...NO_EVIDENCE, ...evidenceFrom([1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0], [5e3, 5e3, 5e3, 5e3, 5e3, 5e3], 20) }));
    const random = weightOf(workerPrior({ ...NO_EVIDENCE, ...evidenceFrom([1, 0, 1, 0, 1, 1], [1, 1, 0, 0, 1, 0], [5e3, 5e3, 5e3, 5e3, 5e3, 5e3], 20) }));
    expect(good).toBeGreaterThan(fresh);
    expect(random).toBeLessThan(fresh);
    expect(weightOf(workerPrior(NO_EVIDENCE, true))).toBeGreaterThan(fresh);
  });

  it("evidence is volume-weighted, half the budget per class, whatever the mix of classes", () => {
    // Two true items (the player found the bigger), six false ones (the player took one of three voxels' worth).
    const e = evidenceFrom([1, 0, 1, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0], [2, 1, 2, 1, 1, 1, 1, 1].map((x) => x * 5e3), 10);
    expect(e.sensTotal).toBeCloseTo(5);
    expect(e.sensHits).toBeCloseTo(5 * (2 / 3));
    expect(e.specTotal).toBeCloseTo(5);
    expect(e.specHits).toBeCloseTo(5 * (5 / 7));
    // No truly-in item: nothing learnt about sensitivity.
    expect(evidenceFrom([1, 0], [0, 0], [5e3, 5e3], 10)).toMatchObject({ sensTotal: 0, sensHits: 0, specTotal: 5, specHits: 2.5 });
    expect(evidenceFrom([], [], [], 10)).toEqual(ZERO_EVIDENCE);
  });

  it("keeps thin and thick supervoxels apart: a careless player's misses of thin branches", () => {
    // Finds both thick supervoxels, misses both thin ones; never takes a wrong one.
    const sizes = [THIN_SUPERVOXEL_VOXELS * 10, THIN_SUPERVOXEL_VOXELS * 5, 300, 200, 400, 5e4];
    const e = evidenceFrom([1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0], sizes, 10);
    expect(e.sensHits / e.sensTotal).toBeCloseTo(1);
    expect(e.thinSensHits / e.thinSensTotal).toBeCloseTo(0);
    expect(e.thinSpecHits / e.thinSpecTotal).toBeCloseTo(1);
    const thin = workerPrior({ ...NO_EVIDENCE, ...e }, false, "thin");
    const thick = workerPrior({ ...NO_EVIDENCE, ...e }, false, "thick");
    expect(thin.sensitivity.alpha / (thin.sensitivity.alpha + thin.sensitivity.beta)).toBeLessThan(thick.sensitivity.alpha / (thick.sensitivity.alpha + thick.sensitivity.beta));
    expect(stratumOf(THIN_SUPERVOXEL_VOXELS - 1)).toBe("thin");
    expect(stratumOf(THIN_SUPERVOXEL_VOXELS)).toBe("thick");
  });

  it("no single huge supervoxel decides a cube's evidence", () => {
    const e = evidenceFrom([0, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1e9, 5e3, 5e3, 5e3, 5e3], 10);
    // Capped at a quarter of the total weight, the missed giant still costs, but not everything.
    expect(e.sensHits / e.sensTotal).toBeCloseTo(0.75);
  });

  it("caps old evidence so a prior never becomes immovable", () => {
    const p = workerPrior({ ...NO_EVIDENCE, sensHits: 9000, sensTotal: 10000, specHits: 5, specTotal: 10 });
    expect(p.sensitivity.alpha + p.sensitivity.beta).toBeCloseTo(4 + MAX_PRIOR_EVIDENCE);
    expect(p.sensitivity.alpha / (p.sensitivity.alpha + p.sensitivity.beta)).toBeCloseTo((3.2 + 0.9 * MAX_PRIOR_EVIDENCE) / (4 + MAX_PRIOR_EVIDENCE));
    expect(p.specificity.alpha + p.specificity.beta).toBeCloseTo(14);
  });

  it("weighted-majority weight: 0.1 until graded, then the mean F1", () => {
    expect(majorityWeight(NO_EVIDENCE)).toBe(NEW_PLAYER_MAJORITY_WEIGHT);
    expect(majorityWeight({ ...NO_EVIDENCE, accuracySum: 1.8, accuracyCount: 2 })).toBeCloseTo(0.9);
    expect(majorityWeight(NO_EVIDENCE, true)).toBe(2);
    expect(reliabilitySummary(NO_EVIDENCE).sensitivity).toBeCloseTo(0.8);
  });

  it("property: priors stay valid Beta distributions whatever the counts", () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 1e6, noNaN: true }), fc.double({ min: -10, max: 1e6, noNaN: true }), (hits, total) => {
        const p = workerPrior({ ...NO_EVIDENCE, sensHits: hits, sensTotal: total, specHits: hits, specTotal: total });
        for (const b of [p.sensitivity, p.specificity]) {
          expect(b.alpha).toBeGreaterThan(0);
          expect(b.beta).toBeGreaterThan(0);
          expect(b.alpha + b.beta).toBeLessThanOrEqual(4 + MAX_PRIOR_EVIDENCE + 1e-9);
        }
      }),
    );
  });
});

describe("proven players", () => {
  it("needs the practice cubes and informative votes; experts always are", () => {
    const good = { ...NO_EVIDENCE, ...evidenceFrom([1, 1, 0, 0], [1, 1, 0, 0], [5e3, 5e3, 5e3, 5e3], 60) };
    const random = { ...NO_EVIDENCE, ...evidenceFrom([1, 0, 1, 0], [1, 1, 0, 0], [5e3, 5e3, 5e3, 5e3], 60) };
    expect(isProven({ ...good, practiceCubes: PRACTICE_CUBES_TO_PROVE })).toBe(true);
    expect(isProven({ ...good, practiceCubes: PRACTICE_CUBES_TO_PROVE - 1 })).toBe(false);
    expect(isProven({ ...random, practiceCubes: PRACTICE_CUBES_TO_PROVE })).toBe(false);
    expect(isProven({ ...NO_EVIDENCE, practiceCubes: 0 }, true)).toBe(true);
  });
});
