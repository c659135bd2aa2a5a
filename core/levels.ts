// Levels from points: each level needs 500 points more than the one before (0, 500, 1500, 3000, 5000, …),
// so a new player levels up after a cube or two and a regular one every few sessions.

export const LEVEL_STEP = 500;
const NAMES = ["Novice", "Tracer", "Explorer", "Pathfinder", "Cartographer", "Synapse Scout", "Axon Ace", "Dendrite Master", "Connectome Captain", "Neuronaut"];

/** Points needed to reach `level` (level 1 needs 0). */
export const pointsForLevel = (level: number) => (LEVEL_STEP * (level - 1) * level) / 2;

export type Level = { level: number; name: string; points: number; floor: number; next: number; progress: number };

export function levelFor(points: number): Level {
  const p = Number.isFinite(points) && points > 0 ? Math.floor(points) : 0;
  // Largest L with 500·(L−1)·L/2 <= p, from the quadratic's root, then corrected for rounding.
  let level = Math.max(1, Math.floor((1 + Math.sqrt(1 + (8 * p) / LEVEL_STEP)) / 2));
  while (pointsForLevel(level + 1) <= p) level++;
  while (level > 1 && pointsForLevel(level) > p) level--;
  const floor = pointsForLevel(level);
  const next = pointsForLevel(level + 1);
  return { level, name: NAMES[Math.min(level, NAMES.length) - 1]!, points: p, floor, next, progress: (p - floor) / (next - floor) };
}
