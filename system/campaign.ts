// A small, deterministic campaign played by scripted players over HTTP, on one or more app instances.
// Every player answers a cube the same way (its seeds plus every 7th supervoxel), and a cube retires at
// exactly 2 traces, so the outcome (which cubes exist, their consensus) depends only on the submissions,
// never on which instance served them or in which order.
import { newStats, Player, sleep, type Stats } from "@/bench/load/client";
import { campaignDone, campaignState, everySeventh, playUntil, preparedDatabase, type Instance } from "@/bench/load/harness";

/** One neuron, two players per cube (min = max = 2): small enough for CI, big enough to spawn cubes. */
export const CAMPAIGN_SQL = [
  // Weighted majority: with every player agreeing, a cube's consensus is their answer whatever their
  // weights. (Dawid-Skene weighs each vote by the player's reliability at that moment, which depends on the
  // order in which their earlier cubes were scored, so it may differ between any two runs, even on one
  // instance; the system tests compare instances, not orders.)
  // One cube per grid cell: whether a branch re-entering a cell gets a follow-up cube depends on whether
  // that cell was traced before the branch arrived, i.e. on the order of retirements, again on any instance.
  `UPDATE "Neuron" SET "minPlayers" = 2, "maxPlayers" = 2, "consensusMethod" = 'WEIGHTED_MAJORITY', "maxCubesPerCell" = 1`,
  `UPDATE "Task" SET "redundancy" = 2, "maxPlayers" = 2 WHERE "kind" = 'CAMPAIGN'`,
  // The other demo neurons' root cubes go (nothing refers to them yet), and the neurons count as done.
  `DELETE FROM "Task" WHERE "kind" = 'CAMPAIGN' AND "neuronId" IN (SELECT "id" FROM "Neuron" WHERE "name" <> 'Medulla neuron 1')`,
  `UPDATE "Neuron" SET "status" = 'COMPLETE' WHERE "name" <> 'Medulla neuron 1'`,
];

/** A new database with the campaign, copied from the set-up template when there is one (system/global-setup.ts). */
export const campaignDatabase = (adminUrl: string, template?: string) => preparedDatabase(adminUrl, template, CAMPAIGN_SQL);

export type CampaignRun = { stats: Stats; state: Awaited<ReturnType<typeof campaignState>>; players: number; seconds: number; failures: string[] };

/**
 * Plays the campaign to the end with `players` players spread round-robin over `instances` (each moves to
 * the next instance when one fails). `during` runs alongside (fault injection). Fails after `timeoutMs`.
 */
export async function playCampaign(dbUrl: string, instances: Instance[], opts: { players?: number; timeoutMs?: number; during?: (stats: Stats) => Promise<void> } = {}): Promise<CampaignRun> {
  const stats = newStats();
  const bases = instances.map((i) => i.base);
  const players = Array.from({ length: opts.players ?? 6 }, (_, i) => new Player(bases, i, stats));
  const answer = everySeventh(dbUrl);
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 150_000);
  let finished = false;
  const failures: string[] = [];
  const watcher = (async () => {
    while (!finished) {
      if (await campaignDone(dbUrl).catch(() => false)) finished = true;
      else if (Date.now() > deadline) {
        failures.push(`campaign not finished after ${(opts.timeoutMs ?? 150_000) / 1000} s`);
        finished = true;
      } else await sleep(300);
    }
  })();
  try {
    await Promise.all(players.map((p) => p.signInGuest()));
    await Promise.all([
      ...players.map((p) => playUntil(p, answer, () => finished, { onError: (e) => failures.push(String(e)) })),
      opts.during?.(stats),
      watcher,
    ]);
  } finally {
    finished = true;
    await answer.close();
  }
  return { stats, state: await campaignState(dbUrl), players: players.length, seconds: (Date.now() - started) / 1000, failures };
}
