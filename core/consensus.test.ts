import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareToConsensus, majorityConsensus } from "./consensus";
import { supervoxelStats } from "./label-volume";
import { SAMPLE_SHAPE, largestLabel, loadSampleLabels } from "./sample-labels.testutil";

describe("majorityConsensus", () => {
  it("keeps ids chosen by strictly more than half", () => {
    const r = majorityConsensus([
      [1, 2, 3],
      [2, 3, 4],
      [3, 5],
    ]);
    expect(r.supervoxels).toEqual([2, 3]);
    expect(r.votes.get(3)).toBe(3);
    expect(r.votes.get(1)).toBe(1);
  });

  it("a tie is not a majority", () => {
    expect(majorityConsensus([[1, 2], [1]]).supervoxels).toEqual([1]);
    expect(majorityConsensus([[1], [2]]).supervoxels).toEqual([]);
  });

  it("counts a duplicated id once per trace", () => {
    const r = majorityConsensus([[7, 7, 7], [], []]);
    expect(r.votes.get(7)).toBe(1);
    expect(r.supervoxels).toEqual([]);
  });

  it("minVotes replaces the majority rule; below 1 counts as 1", () => {
    const traces = [[1, 2], [2], [3], [4]];
    expect(majorityConsensus(traces, { minVotes: 2 }).supervoxels).toEqual([2]);
    expect(majorityConsensus(traces, { minVotes: 1 }).supervoxels).toEqual([1, 2, 3, 4]);
    expect(majorityConsensus(traces, { minVotes: 0 }).supervoxels).toEqual([1, 2, 3, 4]);
  });

  it("no traces, no consensus", () => {
    expect(majorityConsensus([]).supervoxels).toEqual([]);
  });

  it("a single trace is its own consensus, sorted and unique", () => {
    expect(majorityConsensus([[5, 1, 5, 3]]).supervoxels).toEqual([1, 3, 5]);
  });

  it("property: result = ids with 2*votes > n, votes = number of traces containing the id", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 15 }), { maxLength: 7 }), (traces) => {
        const r = majorityConsensus(traces);
        const ids = new Set(traces.flat());
        for (const id of ids) {
          const v = traces.filter((t) => t.includes(id)).length;
          expect(r.votes.get(id)).toBe(v);
          expect(r.supervoxels.includes(id)).toBe(2 * v > traces.length);
        }
        expect(r.supervoxels).toEqual([...r.supervoxels].sort((a, b) => a - b));
      }),
    );
  });
});

describe("compareToConsensus", () => {
  const sizes = new Map([
    [1, 100],
    [2, 300],
    [3, 600],
    [4, 0],
  ]);

  it("weights by supervoxel volume", () => {
    const c = compareToConsensus([1, 2], [2, 3], sizes);
    expect(c.precision).toBeCloseTo(300 / 400);
    expect(c.recall).toBeCloseTo(300 / 900);
    expect(c.f1).toBeCloseTo((2 * 0.75 * (1 / 3)) / (0.75 + 1 / 3));
    expect(c).toMatchObject({ agreed: [2], extra: [1], missed: [3] });
  });

  it("perfect agreement", () => {
    expect(compareToConsensus([3, 1], [1, 3], sizes)).toMatchObject({ precision: 1, recall: 1, f1: 1, extra: [], missed: [] });
  });

  it("both empty: F1 = 1", () => {
    expect(compareToConsensus([], [], sizes)).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  it("empty trace against a consensus: precision 1, recall 0, F1 0", () => {
    expect(compareToConsensus([], [1], sizes)).toMatchObject({ precision: 1, recall: 0, f1: 0, missed: [1] });
  });

  it("a trace against an empty consensus: precision 0, recall 1, F1 0", () => {
    expect(compareToConsensus([1], [], sizes)).toMatchObject({ precision: 0, recall: 1, f1: 0, extra: [1] });
  });

  it("no overlap: all zero, not NaN", () => {
    expect(compareToConsensus([1], [2], sizes)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it("an unknown size weighs 1 voxel; a zero size weighs nothing", () => {
    const c = compareToConsensus([1, 99], [1], sizes);
    expect(c.precision).toBeCloseTo(100 / 101);
    const z = compareToConsensus([1, 4], [1], sizes);
    expect(z.precision).toBe(1);
    expect(z.extra).toEqual([4]);
  });

  it("duplicates don't count twice", () => {
    expect(compareToConsensus([2, 2, 2, 1], [2], sizes).precision).toBeCloseTo(300 / 400);
  });

  it("property: values in [0,1], the lists partition the union, F1 between min and max of P,R", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 30, maxLength: 30 }),
        (trace, consensus, w) => {
          const sz = new Map(w.map((v, i) => [i + 1, v]));
          const c = compareToConsensus(trace, consensus, sz);
          for (const v of [c.precision, c.recall, c.f1]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(c.f1).toBeLessThanOrEqual(Math.max(c.precision, c.recall) + 1e-12);
          const union = [...new Set([...trace, ...consensus])].sort((a, b) => a - b);
          expect([...c.agreed, ...c.extra, ...c.missed].sort((a, b) => a - b)).toEqual(union);
          expect(compareToConsensus(consensus, consensus, sz).f1).toBe(1);
        },
      ),
    );
  });
});

// Deterministic PRNG so the test is reproducible.
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("consensus on the NeuroProof ground truth", () => {
  it("majority of three noisy player traces recovers the clean supervoxel set", () => {
    const gt = loadSampleLabels("ground-truth");
    const sv = loadSampleLabels("supervoxels");
    const body = largestLabel(gt).id;

    // Supervoxel → body by majority overlap: in the clean set when most of its voxels are in `body`.
    const stats = supervoxelStats(sv, SAMPLE_SHAPE);
    const maxId = stats.ids[stats.ids.length - 1]!;
    const overlap = new Float64Array(maxId + 1);
    for (let i = 0; i < gt.length; i++) if (gt[i] === body) overlap[sv[i]!]!++;
    const sizes = new Map<number, number>();
    const clean: number[] = [];
    const touching: number[] = []; // plausible mistakes: supervoxels that touch the body but belong elsewhere
    stats.ids.forEach((id, k) => {
      const size = stats.sizes[k]!;
      sizes.set(id, size);
      if (2 * overlap[id]! > size) clean.push(id);
      else if (overlap[id]! > 0) touching.push(id);
    });
    expect(clean.length).toBeGreaterThan(50);
    expect(touching.length).toBeGreaterThan(30);

    // Each player misses a different 10 % of the clean set and adds a different handful of wrong
    // neighbours, so every error is made by exactly one player.
    const rand = mulberry32(42);
    const shuffled = [...clean].sort(() => rand() - 0.5);
    const wrong = [...touching].sort(() => rand() - 0.5).slice(0, 30);
    const traces = [0, 1, 2].map((p) => [
      ...shuffled.filter((_, j) => j % 10 !== p),
      ...wrong.filter((_, j) => j % 3 === p),
    ]);
    for (const t of traces) expect(t.slice().sort((a, b) => a - b)).not.toEqual(clean);

    const { supervoxels } = majorityConsensus(traces);
    expect(supervoxels).toEqual(clean);

    for (const t of traces) {
      const c = compareToConsensus(t, supervoxels, sizes);
      expect(c.missed.length).toBeGreaterThan(0);
      expect(c.extra).toHaveLength(10);
      expect(c.recall).toBeLessThan(1);
      expect(c.precision).toBeLessThan(1);
      expect(c.f1).toBeGreaterThan(0.6);
    }
    expect(compareToConsensus(clean, supervoxels, sizes).f1).toBe(1);
  });
});
