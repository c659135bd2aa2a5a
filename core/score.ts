// Points for one submitted cube, after EyeWire: volume added (saturating), agreement with the
// consensus, and a one-off bonus for the first player on a cube.

export const MAX_VOLUME_POINTS = 980;
/** Voxels at which volume points reach 1 - 1/e (≈ 63 %) of the maximum. */
export const VOLUME_SCALE_VOXELS = 200_000;
export const MAX_ACCURACY_POINTS = 200;
export const TRAILBLAZER_POINTS = 50;

export type ScoreInput = { selectedVoxels: number; f1: number | null; first: boolean };
export type Score = { points: number; breakdown: { volume: number; accuracy: number; trailblazer: number } };

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
  return { points: volume + accuracy + trailblazer, breakdown: { volume, accuracy, trailblazer } };
}
