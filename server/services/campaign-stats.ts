// A campaign's progress and quality in numbers: cubes done and open, neurons complete, agreement between
// players per cube (mean pairwise voxel-weighted F1 of their traces), the consensus confidence of retired
// cubes, and the reliability of the players who traced (posterior means of sensitivity and specificity from
// their Reliability rows). Players appear only under pseudonyms that are stable within one campaign and
// differ between campaigns, so no student's name or account leaves their class.
import { createHash } from "node:crypto";
import type { Db } from "@/server/db/client";
import type { Actor } from "./actor";
import { requireResearcher, ownedBy } from "./campaigns";
import { notFound } from "./errors";

export type CubeStat = {
  cubeId: string;
  neuronId: string;
  neuronName: string;
  status: "OPEN" | "RETIRED";
  players: number;
  wanted: number;
  confidence: number | null;
  /** Mean pairwise F1 between the players' traces (voxel-weighted); null with fewer than two traces. */
  agreement: number | null;
};
export type PlayerStat = { player: string; cubes: number; sensitivity: number; specificity: number; accuracy: number | null };
export type CampaignStats = {
  campaignId: string;
  name: string;
  status: "DRAFT" | "PUBLISHED";
  cubesDone: number;
  cubesOpen: number;
  neurons: number;
  neuronsComplete: number;
  traces: number;
  meanAgreement: number | null;
  cubes: CubeStat[];
  players: PlayerStat[];
};

/** Voxel-weighted F1 of two supervoxel sets (sizes: voxels per supervoxel in the cube). */
export function weightedF1(a: readonly number[], b: readonly number[], size: (id: number) => number): number {
  const sb = new Set(b);
  let wa = 0, wb = 0, both = 0;
  for (const id of a) {
    const w = size(id);
    wa += w;
    if (sb.has(id)) both += w;
  }
  for (const id of b) wb += size(id);
  return wa + wb === 0 ? 1 : (2 * both) / (wa + wb);
}

/** Mean F1 over all pairs of traces; null with fewer than two. */
export function meanPairwiseF1(traces: readonly (readonly number[])[], size: (id: number) => number): number | null {
  if (traces.length < 2) return null;
  let sum = 0, pairs = 0;
  for (let i = 0; i < traces.length; i++) for (let j = i + 1; j < traces.length; j++, pairs++) sum += weightedF1(traces[i]!, traces[j]!, size);
  return sum / pairs;
}

/** A pseudonym for a player in one campaign: not reversible, not linkable across campaigns. */
export function pseudonym(campaignId: string, userId: string): string {
  return `P-${createHash("sha256").update(`${campaignId}:${userId}`).digest("hex").slice(0, 8)}`;
}

/** Beta(1,1) prior: posterior mean of hits/total. */
const posterior = (hits: number, total: number) => (hits + 1) / (total + 2);

export async function campaignStats(db: Db, actorIn: Actor | null, campaignId: string): Promise<CampaignStats> {
  const actor = requireResearcher(actorIn);
  const c = await db.campaign.findFirst({
    where: { id: campaignId, ...ownedBy(actor) },
    include: {
      neurons: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true, name: true, status: true,
          tasks: {
            orderBy: { createdAt: "asc" },
            select: { id: true, status: true, submissions: true, redundancy: true, confidence: true, supervoxelIds: true, supervoxelSizes: true, traces: { select: { userId: true, supervoxels: true } } },
          },
        },
      },
    },
  });
  if (!c) throw notFound("campaign");
  const cubes: CubeStat[] = [];
  const cubesByUser = new Map<string, number>();
  let traces = 0;
  for (const n of c.neurons) {
    for (const t of n.tasks) {
      const sizeOf = new Map<number, number>();
      t.supervoxelIds.forEach((id, k) => sizeOf.set(id, t.supervoxelSizes[k] ?? 0));
      for (const tr of t.traces) cubesByUser.set(tr.userId, (cubesByUser.get(tr.userId) ?? 0) + 1);
      traces += t.traces.length;
      cubes.push({
        cubeId: t.id,
        neuronId: n.id,
        neuronName: n.name,
        status: t.status,
        players: t.traces.length,
        wanted: t.redundancy,
        confidence: t.confidence,
        agreement: meanPairwiseF1(t.traces.map((tr) => tr.supervoxels), (id) => sizeOf.get(id) ?? 0),
      });
    }
  }
  const rel = await db.reliability.findMany({ where: { userId: { in: [...cubesByUser.keys()] } } });
  const relOf = new Map(rel.map((r) => [r.userId, r]));
  const players: PlayerStat[] = [...cubesByUser].map(([userId, n]) => {
    const r = relOf.get(userId);
    return {
      player: pseudonym(c.id, userId),
      cubes: n,
      sensitivity: posterior(r?.sensHits ?? 0, r?.sensTotal ?? 0),
      specificity: posterior(r?.specHits ?? 0, r?.specTotal ?? 0),
      accuracy: r && r.accuracyCount > 0 ? r.accuracySum / r.accuracyCount : null,
    };
  });
  players.sort((a, b) => a.player.localeCompare(b.player));
  const agreements = cubes.map((x) => x.agreement).filter((a): a is number => a !== null);
  return {
    campaignId: c.id,
    name: c.name,
    status: c.status,
    cubesDone: cubes.filter((x) => x.status === "RETIRED").length,
    cubesOpen: cubes.filter((x) => x.status === "OPEN").length,
    neurons: c.neurons.length,
    neuronsComplete: c.neurons.filter((n) => n.status === "COMPLETE").length,
    traces,
    meanAgreement: agreements.length ? agreements.reduce((s, a) => s + a, 0) / agreements.length : null,
    cubes,
    players,
  };
}

/** Bins values in [0, 1] into `bins` equal bins (1 goes into the last). */
export function histogram(values: readonly number[], bins = 10): number[] {
  const h = new Array<number>(bins).fill(0);
  for (const v of values) h[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]! += 1;
  return h;
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const toCsv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";

export type StatsTable = "summary" | "cubes" | "players";

/** One table of the stats as CSV (what the dashboard offers for download). */
export function statsCsv(s: CampaignStats, table: StatsTable): string {
  if (table === "cubes") {
    return toCsv(["cube_id", "neuron_id", "neuron_name", "status", "players", "players_wanted", "consensus_confidence", "agreement_mean_pairwise_f1"],
      s.cubes.map((c) => [c.cubeId, c.neuronId, c.neuronName, c.status, c.players, c.wanted, c.confidence, c.agreement]));
  }
  if (table === "players") {
    return toCsv(["player", "cubes", "sensitivity_posterior_mean", "specificity_posterior_mean", "mean_f1"], s.players.map((p) => [p.player, p.cubes, p.sensitivity, p.specificity, p.accuracy]));
  }
  return toCsv(["campaign_id", "name", "status", "cubes_done", "cubes_open", "neurons", "neurons_complete", "traces", "mean_agreement"],
    [[s.campaignId, s.name, s.status, s.cubesDone, s.cubesOpen, s.neurons, s.neuronsComplete, s.traces, s.meanAgreement]]);
}
