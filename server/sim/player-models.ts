// Simulated players: how each kind of player answers a cube, given the cube's true answer. Pure (the random
// source is passed in), so a campaign with the same seed replays exactly.
import { reachable, ring, type Adjacency } from "@/core/supervoxel-graph";

export type PlayerKind = "expert" | "careless" | "merger" | "spammer" | "adversarial";
export const PLAYER_KINDS: readonly PlayerKind[] = ["expert", "careless", "merger", "spammer", "adversarial"];

export type CubeForPlayer = {
  /** The true answer (seeds included), from ground truth. */
  answer: readonly number[];
  seeds: readonly number[];
  /** Every supervoxel in the cube. */
  ids: readonly number[];
  sizes: ReadonlyMap<number, number>;
  adjacency: Adjacency;
};

export type Random = () => number;

/** mulberry32: small, fast, good enough for simulations. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A supervoxel with fewer voxels than this in the cube counts as a thin branch. */
export const THIN_VOXELS = 1500;

const sorted = (s: Iterable<number>) => [...new Set(s)].sort((a, b) => a - b);

/** What a player of this kind submits for the cube (ids in the cube, seeds included). */
export function playerTrace(kind: PlayerKind, cube: CubeForPlayer, random: Random): number[] {
  const seeds = new Set(cube.seeds);
  const answer = new Set(cube.answer);
  const neighbours = ring(cube.adjacency, answer);
  const size = (id: number) => cube.sizes.get(id) ?? 0;
  // Keeps what is still connected to the seeds once some supervoxels are missed: a missed branch loses
  // everything beyond it.
  const missing = (pMiss: (id: number) => number) => {
    const kept = new Set([...answer].filter((id) => seeds.has(id) || random() >= pMiss(id)));
    return reachable(cube.adjacency, cube.seeds, new Set([...kept, ...seeds]));
  };
  switch (kind) {
    case "expert":
      return sorted([...missing(() => 0.02), ...neighbours.filter(() => random() < 0.01), ...seeds]);
    case "careless":
      return sorted([...missing((id) => (size(id) < THIN_VOXELS ? 0.6 : 0.05)), ...seeds]);
    case "merger":
      return sorted([...missing(() => 0.03), ...neighbours.filter(() => random() < 0.15), ...seeds]);
    case "adversarial":
      return sorted([...answer, ...neighbours, ...seeds]);
    case "spammer": {
      // Random supervoxels of the cube, about as many as a real answer has.
      const want = Math.max(1, Math.round(answer.size * (0.5 + random())));
      const picked = new Set(seeds);
      const ids = cube.ids;
      for (let k = 0; k < want && ids.length > 0; k++) picked.add(ids[Math.floor(random() * ids.length)]!);
      return sorted(picked);
    }
  }
}

/** Kinds for a population: `spammers` of it random, the rest split 45/25/20/10 expert/careless/merger/adversarial. */
export function population(n: number, spammers: number, random: Random): PlayerKind[] {
  const nSpam = Math.round(n * Math.min(1, Math.max(0, spammers)));
  const rest = n - nSpam;
  const counts: [PlayerKind, number][] = [
    ["careless", Math.round(rest * 0.25)],
    ["merger", Math.round(rest * 0.2)],
    ["adversarial", Math.round(rest * 0.1)],
  ];
  const kinds: PlayerKind[] = Array(nSpam).fill("spammer");
  for (const [k, c] of counts) kinds.push(...Array<PlayerKind>(c).fill(k));
  while (kinds.length < n) kinds.push("expert");
  kinds.length = n;
  // Fisher–Yates: who arrives when is random too.
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}
