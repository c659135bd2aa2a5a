// One simulated campaign through the real API (tRPC caller → services → database): register the dataset,
// start the largest ground-truth neurons, let a population of simulated players practise and then play until
// every neuron is complete (or nobody can play any more).
import { randomUUID } from "node:crypto";
import { majorityBodies } from "@/core/cube-truth";
import { reachable, type Adjacency } from "@/core/supervoxel-graph";
import type { Box } from "@/core/volume";
import { openDatabase } from "@/server/db/migrated";
import type { DbHandle } from "@/server/db/client";
import type { Actor } from "@/server/services/actor";
import { cubeAdjacency, cubeContents, sizeMap } from "@/server/services/cube-contents";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import type { NeuronSettings } from "@/server/services/neurons";
import { createPracticeCubes, PRACTICE_CUBES_TO_PROVE } from "@/server/services/practice";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { loadLabels } from "@/server/store/label-cache";
import { readManifest } from "@/server/store/store";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";
import { playerTrace, population, seededRandom, type CubeForPlayer, type PlayerKind } from "./player-models";

export type CampaignOptions = {
  dataset: string;
  players: number;
  spammers: number;
  seed: number;
  neurons: number;
  settings: Partial<NeuronSettings>;
  /** Give up after this many campaign submissions (a safety net, never reached in a normal run). */
  maxSubmissions?: number;
  log?: (line: string) => void;
};

export type CampaignRun = {
  handle: DbHandle;
  datasetId: string;
  kinds: Record<PlayerKind, number>;
  practiceSubmissions: number;
  campaignSubmissions: number;
  seconds: number;
};

const createCaller = createCallerFactory(appRouter);

export async function runCampaign(opts: CampaignOptions): Promise<CampaignRun> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const handle = await openDatabase({ kind: "pglite", dataDir: "memory://" });
  const { db } = handle;
  const { datasetId } = await registerDatasetIn(db, await readManifest(opts.dataset));
  const dataset = await db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  if (!dataset.hasGroundTruth) throw new Error(`dataset "${opts.dataset}" has no ground truth: the simulation needs it`);
  const neurons = await seedDemoCampaign(db, datasetId, { neurons: opts.neurons, settings: opts.settings });
  await createPracticeCubes(db, datasetId, { count: PRACTICE_CUBES_TO_PROVE, skip: opts.neurons });
  log(`  ${neurons.length} neurons started, practice cubes ready`);

  const random = seededRandom(opts.seed);
  const kinds = population(opts.players, opts.spammers, random);
  const players: { actor: Actor; kind: PlayerKind; random: () => number }[] = [];
  for (let i = 0; i < kinds.length; i++) {
    const u = await db.user.create({ data: { username: `sim-${i}-${kinds[i]}`, isGuest: true } });
    players.push({ actor: { userId: u.id, username: u.username, role: u.role, isGuest: true }, kind: kinds[i]!, random: seededRandom(opts.seed * 7919 + i) });
  }

  // Ground truth per cube, for the simulated players only (never through the API).
  const bodies = new Map(neurons.map((n) => [n.id, n.gtBodyId!]));
  const practiceBodies = new Map((await db.neuron.findMany({ where: { isPractice: true } })).map((n) => [n.id, n.gtBodyId!]));
  const cubes = new Map<string, CubeForPlayer>();
  // Which supervoxels of a grid cube lie mostly in which body: computed once per cube, for every neuron.
  const majority = new Map<string, Promise<{ inBody: Map<number, number>; adjacency: Adjacency }>>();
  async function truthOf(box: Box, body: number, seeds: number[]) {
    const key = `${box.x0},${box.y0},${box.z0}`;
    let m = majority.get(key);
    if (!m) {
      m = (async () => {
        const [cube, gt] = await Promise.all([cubeContents(opts.dataset, box), loadLabels(opts.dataset, "ground-truth", box)]);
        return { inBody: majorityBodies(cube.labels, gt), adjacency: await cubeAdjacency(opts.dataset, box) };
      })();
      majority.set(key, m);
    }
    const { inBody, adjacency } = await m;
    const allowed = new Set([...seeds, ...[...inBody].filter(([, b]) => b === body).map(([s]) => s)]);
    return { answer: reachable(adjacency, seeds, allowed), adjacency };
  }
  async function cubeFor(taskId: string): Promise<CubeForPlayer> {
    const hit = cubes.get(taskId);
    if (hit) return hit;
    const t = await db.task.findUniqueOrThrow({ where: { id: taskId } });
    const box = { x0: t.x0, y0: t.y0, z0: t.z0, x1: t.x1, y1: t.y1, z1: t.z1 };
    const body = bodies.get(t.neuronId) ?? practiceBodies.get(t.neuronId)!;
    const truth = await truthOf(box, body, t.seeds);
    const cube = { answer: truth.answer, seeds: t.seeds, ids: t.supervoxelIds, sizes: sizeMap(t), adjacency: truth.adjacency };
    cubes.set(taskId, cube);
    return cube;
  }

  async function play(p: (typeof players)[number], practice: boolean): Promise<boolean> {
    const api = createCaller({ db, dbKind: handle.kind, actor: p.actor });
    const task = await api.task.assign({ practice });
    if (!task) return false;
    const supervoxels = playerTrace(p.kind, await cubeFor(task.taskId), p.random);
    await api.trace.submit({ traceId: randomUUID(), taskId: task.taskId, supervoxels });
    return true;
  }

  let practiceSubmissions = 0;
  for (const p of players) for (let k = 0; k < PRACTICE_CUBES_TO_PROVE; k++) if (await play(p, true)) practiceSubmissions++;

  let campaignSubmissions = 0;
  const limit = opts.maxSubmissions ?? 100_000;
  for (let round = 0; campaignSubmissions < limit; round++) {
    // Players arrive in a random order each round; each plays one cube.
    const order = players.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let played = 0;
    for (const i of order) {
      if (await play(players[i]!, false)) (played++, campaignSubmissions++);
      if (campaignSubmissions >= limit) break;
    }
    if (played === 0) break;
    if (round % 5 === 4) {
      const open = await db.task.count({ where: { kind: "CAMPAIGN", status: "OPEN" } });
      log(`  round ${round + 1}: ${campaignSubmissions} traces, ${open} cubes open`);
    }
  }
  const counts = Object.fromEntries(["expert", "careless", "merger", "spammer", "adversarial"].map((k) => [k, kinds.filter((x) => x === k).length])) as Record<PlayerKind, number>;
  return { handle, datasetId, kinds: counts, practiceSubmissions, campaignSubmissions, seconds: (Date.now() - started) / 1000 };
}
