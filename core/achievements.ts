// Achievements: badges earned from a player's record. Pure: the server gathers the stats, this decides.
import { levelFor } from "./levels";

export type PlayerStats = {
  cubes: number;
  points: number;
  practiceCubes: number;
  bestStreak: number;
  /** Cubes that had a consensus or answer to compare with, and the mean F1 over them. */
  comparedCubes: number;
  meanF1: number | null;
  trailblazerCubes: number;
  inClass: boolean;
  competitionsPlayed: number;
};

export type Achievement = { id: string; title: string; description: string; earned: boolean; progress: number };

type Rule = { id: string; title: string; description: string; progress: (s: PlayerStats) => number };

const ratio = (value: number, goal: number) => Math.max(0, Math.min(1, value / goal));

export const ACHIEVEMENT_RULES: Rule[] = [
  { id: "first-cube", title: "First cube", description: "Trace your first cube.", progress: (s) => ratio(s.cubes, 1) },
  { id: "tutorial", title: "Trained eye", description: "Finish the tutorial's practice cubes.", progress: (s) => ratio(s.practiceCubes, 2) },
  { id: "ten-cubes", title: "Ten cubes", description: "Trace 10 cubes.", progress: (s) => ratio(s.cubes, 10) },
  { id: "hundred-cubes", title: "Centurion", description: "Trace 100 cubes.", progress: (s) => ratio(s.cubes, 100) },
  { id: "streak-3", title: "On a roll", description: "Trace 3 accurate cubes in a row.", progress: (s) => ratio(s.bestStreak, 3) },
  { id: "streak-10", title: "Unstoppable", description: "Trace 10 accurate cubes in a row.", progress: (s) => ratio(s.bestStreak, 10) },
  {
    id: "sharp-eye",
    title: "Sharp eye",
    description: "Reach 90 % accuracy over at least 10 compared cubes.",
    progress: (s) => (s.comparedCubes >= 10 && (s.meanF1 ?? 0) >= 0.9 ? 1 : Math.min(0.99, ratio(s.comparedCubes, 10), ratio(s.meanF1 ?? 0, 0.9))),
  },
  { id: "trailblazer", title: "Trailblazer", description: "Be the first player on a cube.", progress: (s) => ratio(s.trailblazerCubes, 1) },
  { id: "level-5", title: "Cartographer", description: "Reach level 5.", progress: (s) => ratio(levelFor(s.points).level - 1, 4) },
  { id: "team-player", title: "Team player", description: "Trace a cube as a member of a class.", progress: (s) => (s.inClass && s.cubes > 0 ? 1 : 0) },
  { id: "competitor", title: "Competitor", description: "Trace a cube during a class competition.", progress: (s) => ratio(s.competitionsPlayed, 1) },
];

export function achievementsFor(stats: PlayerStats): Achievement[] {
  return ACHIEVEMENT_RULES.map((r) => {
    const progress = r.progress(stats);
    return { id: r.id, title: r.title, description: r.description, earned: progress >= 1, progress };
  });
}
