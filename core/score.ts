// Points for one submitted cube, after EyeWire: volume added (saturating), agreement with the
// consensus, a one-off bonus for the first player on a cube, and a bonus for a streak of accurate cubes.

export const MAX_VOLUME_POINTS = 980;
/** Voxels at which volume points reach 1 - 1/e (≈ 63 %) of the maximum. */
export const VOLUME_SCALE_VOXELS = 200_000;
export const MAX_ACCURACY_POINTS = 200;
export const TRAILBLAZER_POINTS = 50;
/** A cube whose F1 against the consensus reaches this extends the streak; below it breaks the streak. */
export const STREAK_MIN_F1 = 0.8;
export const STREAK_POINTS_PER_CUBE = 10;
export const MAX_STREAK_BONUS = 100;

export type ScoreInput = {
  selectedVoxels: number;
  f1: number | null;
  first: boolean;
  /** Accurate cubes in a row before this one (default 0). */
  streak?: number;
};
export type Score = {
  points: number;
  breakdown: { volume: number; accuracy: number; trailblazer: number; streak: number };
  /** The streak after this cube. */
  streak: number;
};

/** The streak after a cube: +1 when accurate, 0 when not; unchanged when there is nothing to compare with yet. */
export function nextStreak(previous: number, f1: number | null): number {
  const prev = Number.isInteger(previous) && previous > 0 ? previous : 0;
  if (f1 === null || !Number.isFinite(f1)) return prev;
  return f1 >= STREAK_MIN_F1 ? prev + 1 : 0;
}

/**
 * Integer points. `f1` is null while no consensus exists yet (then no accuracy points; they can be
 * granted later). Bad numbers (negative, NaN) score 0 rather than throwing: a score must always render.
 */
export function scoreSubmission(input: ScoreInput): Score {
  const voxels = Number.isFinite(input.selectedVoxels) && input.selectedVoxels > 0 ? input.selectedVoxels : 0;
  const volume = Math.round(MAX_VOLUME_POINTS * (1 - Math.exp(-voxels / VOLUME_SCALE_VOXELS)));
  const f1 = input.f1 === null || !Number.isFinite(input.f1) ? 0 : Math.min(1, Math.max(0, input.f1));
  const accuracy = Math.round(MAX_ACCURACY_POINTS * f1);
  const trailblazer = input.first ? TRAILBLAZER_POINTS : 0;
  const before = nextStreak(input.streak ?? 0, null);
  const streak = nextStreak(before, input.f1);
  // The bonus rewards extending a streak (from its second cube on), not merely holding one.
  const extended = streak > before;
  const streakBonus = extended ? Math.min(MAX_STREAK_BONUS, STREAK_POINTS_PER_CUBE * (streak - 1)) : 0;
  return { points: volume + accuracy + trailblazer + streakBonus, breakdown: { volume, accuracy, trailblazer, streak: streakBonus }, streak };
}
