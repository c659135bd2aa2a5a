import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_STREAK_BONUS, STREAK_MIN_F1, nextStreak, scoreSubmission } from "./score";

describe("scoreSubmission", () => {
  it("nothing selected, no consensus, not first: 0", () => {
    expect(scoreSubmission({ selectedVoxels: 0, f1: null, first: false })).toEqual({
      points: 0,
      breakdown: { volume: 0, accuracy: 0, trailblazer: 0, streak: 0 },
      streak: 0,
    });
  });

  it("volume saturates towards 980", () => {
    expect(scoreSubmission({ selectedVoxels: 200_000, f1: null, first: false }).breakdown.volume).toBe(Math.round(980 * (1 - Math.exp(-1))));
    expect(scoreSubmission({ selectedVoxels: 1e9, f1: null, first: false }).breakdown.volume).toBe(980);
    expect(scoreSubmission({ selectedVoxels: 1000, f1: null, first: false }).breakdown.volume).toBe(5);
  });

  it("accuracy is 200 * f1 only when a consensus exists", () => {
    expect(scoreSubmission({ selectedVoxels: 0, f1: 1, first: false }).breakdown.accuracy).toBe(200);
    expect(scoreSubmission({ selectedVoxels: 0, f1: 0.5, first: false }).breakdown.accuracy).toBe(100);
    expect(scoreSubmission({ selectedVoxels: 0, f1: null, first: false }).breakdown.accuracy).toBe(0);
  });

  it("trailblazer adds 50", () => {
    const a = scoreSubmission({ selectedVoxels: 12345, f1: 0.8, first: false });
    const b = scoreSubmission({ selectedVoxels: 12345, f1: 0.8, first: true });
    expect(b.points - a.points).toBe(50);
    expect(b.breakdown.trailblazer).toBe(50);
  });

  it("bad inputs score 0 instead of NaN", () => {
    const s = scoreSubmission({ selectedVoxels: Number.NaN, f1: Number.NaN, first: false });
    expect(s.points).toBe(0);
    expect(scoreSubmission({ selectedVoxels: -5, f1: -1, first: false }).points).toBe(0);
    expect(scoreSubmission({ selectedVoxels: 0, f1: 7, first: false }).breakdown.accuracy).toBe(200);
  });

  it("property: integer, bounded, sum of parts, monotone in voxels and f1", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.boolean(),
        (v, dv, f1, first) => {
          const s = scoreSubmission({ selectedVoxels: v, f1, first });
          const { volume, accuracy, trailblazer } = s.breakdown;
          expect(Number.isInteger(s.points)).toBe(true);
          expect(s.points).toBe(volume + accuracy + trailblazer);
          expect(volume).toBeGreaterThanOrEqual(0);
          expect(volume).toBeLessThanOrEqual(980);
          expect(accuracy).toBeLessThanOrEqual(200);
          expect(s.points).toBeLessThanOrEqual(1230);
          expect(scoreSubmission({ selectedVoxels: v + dv, f1, first }).breakdown.volume).toBeGreaterThanOrEqual(volume);
          if (f1 !== null) expect(scoreSubmission({ selectedVoxels: v, f1: Math.min(1, f1 + 0.1), first }).breakdown.accuracy).toBeGreaterThanOrEqual(accuracy);
        },
      ),
    );
  });
});

describe("streaks", () => {
  it("an accurate cube extends the streak, an inaccurate one breaks it, a first-on-cube one keeps it", () => {
    expect(nextStreak(3, 0.9)).toBe(4);
    expect(nextStreak(3, STREAK_MIN_F1)).toBe(4);
    expect(nextStreak(3, 0.79)).toBe(0);
    expect(nextStreak(3, null)).toBe(3);
    expect(nextStreak(-2, 0.9)).toBe(1);
    expect(nextStreak(Number.NaN, null)).toBe(0);
  });

  it("pays 10 per cube beyond the first of a streak, capped at 100, only when the streak grows", () => {
    const at = (streak: number, f1: number | null) => scoreSubmission({ selectedVoxels: 0, f1, first: false, streak });
    expect(at(0, 0.9)).toMatchObject({ streak: 1, breakdown: { streak: 0 } });
    expect(at(1, 0.9)).toMatchObject({ streak: 2, breakdown: { streak: 10 } });
    expect(at(4, 1)).toMatchObject({ streak: 5, breakdown: { streak: 40 }, points: 200 + 40 });
    expect(at(50, 1).breakdown.streak).toBe(100);
    expect(at(4, 0.5)).toMatchObject({ streak: 0, breakdown: { streak: 0 } });
    expect(at(4, null)).toMatchObject({ streak: 4, breakdown: { streak: 0 } });
  });

  it("property: points are the sum of the parts, the streak bonus is bounded", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.option(fc.double({ min: 0, max: 1, noNaN: true })), fc.boolean(), fc.integer({ min: 0, max: 500 }), (v, f1, first, streak) => {
        const s = scoreSubmission({ selectedVoxels: v, f1, first, streak });
        const b = s.breakdown;
        expect(s.points).toBe(b.volume + b.accuracy + b.trailblazer + b.streak);
        expect(b.streak).toBeGreaterThanOrEqual(0);
        expect(b.streak).toBeLessThanOrEqual(MAX_STREAK_BONUS);
        expect(s.streak === 0 || s.streak === streak || s.streak === streak + 1).toBe(true);
      }),
    );
  });
});
