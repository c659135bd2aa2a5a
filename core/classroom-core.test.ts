import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { achievementsFor, type PlayerStats } from "./achievements";
import { canonicalSecret, normalizeNickname, PICTURES } from "./class-secret";
import { CODE_ALPHABET, displayCode, makeCode, normalizeCode } from "./join-code";
import { levelFor, pointsForLevel } from "./levels";
import { weekStart } from "./week";

describe("join codes", () => {
  it("makes codes from the alphabet that normalize to themselves, also typed in lower case with a dash", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), (picks) => {
        let i = 0;
        const code = makeCode((n) => picks[i++]! % n);
        expect(code).toHaveLength(6);
        expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
        expect(normalizeCode(code)).toBe(code);
        expect(normalizeCode(displayCode(code).toLowerCase())).toBe(code);
      }),
    );
  });
  it("reads look-alikes as the character they resemble and rejects what cannot be a code", () => {
    expect(normalizeCode("ACD-F7O")).toBeNull(); // O reads as 0, which is not in the alphabet
    expect(normalizeCode("acdf7q")).toBe("ACDF7Q");
    expect(normalizeCode("ACDF7")).toBeNull();
    expect(normalizeCode("ACDF7Q1")).toBeNull();
    expect(normalizeCode("ACD!7Q")).toBeNull();
  });
});

describe("class secrets", () => {
  it("accepts 4 to 6 digit PINs and 3 known pictures, canonically", () => {
    expect(canonicalSecret({ kind: "PIN", value: " 1234 " })).toEqual({ ok: true, text: "pin:1234" });
    expect(canonicalSecret({ kind: "PIN", value: "123456" })).toEqual({ ok: true, text: "pin:123456" });
    expect(canonicalSecret({ kind: "PICTURE", value: "Star, moon,sun" })).toEqual({ ok: true, text: "pictures:star,moon,sun" });
    expect(canonicalSecret({ kind: "PICTURE", value: "fish,fish,fish" })).toEqual({ ok: true, text: "pictures:fish,fish,fish" });
  });
  it("rejects short, long and non-digit PINs and wrong picture counts or names", () => {
    for (const v of ["123", "1234567", "12a4", ""]) expect(canonicalSecret({ kind: "PIN", value: v }).ok).toBe(false);
    for (const v of ["star,moon", "star,moon,sun,tree", "star,moon,unicorn", ""]) expect(canonicalSecret({ kind: "PICTURE", value: v }).ok).toBe(false);
    expect(PICTURES).toHaveLength(12);
  });
  it("normalizes nicknames and keys them case-insensitively", () => {
    expect(normalizeNickname("  Blue   Whale ")).toEqual({ ok: true, nickname: "Blue Whale", key: "blue whale" });
    expect(normalizeNickname("Zoë_7")).toMatchObject({ ok: true, key: "zoë_7" });
    for (const bad of ["a", "x".repeat(21), "<script>", "bob@example.com"]) expect(normalizeNickname(bad).ok).toBe(false);
  });
});

describe("levels", () => {
  it("starts at level 1 and needs 500 more points per level", () => {
    expect(levelFor(0)).toMatchObject({ level: 1, floor: 0, next: 500, progress: 0 });
    expect(levelFor(499).level).toBe(1);
    expect(levelFor(500).level).toBe(2);
    expect(levelFor(1500).level).toBe(3);
    expect(levelFor(-5).level).toBe(1);
    expect(levelFor(Number.NaN).level).toBe(1);
  });
  it("is monotone and always between its floor and the next level", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), (p) => {
        const l = levelFor(p);
        expect(l.floor).toBe(pointsForLevel(l.level));
        expect(p).toBeGreaterThanOrEqual(l.floor);
        expect(p).toBeLessThan(l.next);
        expect(l.progress).toBeGreaterThanOrEqual(0);
        expect(l.progress).toBeLessThan(1);
        expect(levelFor(p + 1).level).toBeGreaterThanOrEqual(l.level);
      }),
    );
  });
});

describe("achievements", () => {
  const none: PlayerStats = { cubes: 0, points: 0, practiceCubes: 0, bestStreak: 0, comparedCubes: 0, meanF1: null, trailblazerCubes: 0, inClass: false, competitionsPlayed: 0 };
  const earned = (s: PlayerStats) => achievementsFor(s).filter((a) => a.earned).map((a) => a.id);
  it("earns nothing at the start and the first cube after one cube", () => {
    expect(earned(none)).toEqual([]);
    expect(earned({ ...none, cubes: 1, points: 300 })).toEqual(["first-cube"]);
  });
  it("needs both 10 compared cubes and 90 % for sharp eye", () => {
    expect(earned({ ...none, cubes: 9, comparedCubes: 9, meanF1: 1 })).not.toContain("sharp-eye");
    expect(earned({ ...none, cubes: 20, comparedCubes: 20, meanF1: 0.89 })).not.toContain("sharp-eye");
    expect(earned({ ...none, cubes: 20, comparedCubes: 20, meanF1: 0.9 })).toContain("sharp-eye");
  });
  it("keeps progress in [0, 1] and below 1 when not earned", () => {
    for (const a of achievementsFor({ ...none, cubes: 5, comparedCubes: 5, meanF1: 0.95, bestStreak: 2, points: 2000 })) {
      expect(a.progress).toBeGreaterThanOrEqual(0);
      expect(a.progress).toBeLessThanOrEqual(1);
      if (!a.earned) expect(a.progress).toBeLessThan(1);
    }
  });
});

describe("weeks", () => {
  it("start on Monday 00:00 UTC", () => {
    expect(weekStart(new Date("2026-11-24T20:00:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z"); // a Tuesday
    expect(weekStart(new Date("2026-11-23T00:00:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(weekStart(new Date("2026-11-29T23:59:59Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z"); // Sunday
  });
});
