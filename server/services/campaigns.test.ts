// Researcher campaigns, their stats and API tokens on a real database (PGlite, or PostgreSQL when
// DATABASE_URL names one) with the ingested sample: drafts are never played, publishing hands the cubes out,
// the dashboard numbers of a small hand-made campaign, and token create/verify/revoke.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE } from "@/server/cli/setup";
import { exportsRoot } from "@/server/export/export-store";
import { readManifest } from "@/server/store/store";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import type { Actor } from "./actor";
import { createApiToken, hashToken, listApiTokens, revokeApiToken, verifyApiToken } from "./api-tokens";
import { campaignStats, histogram, meanPairwiseF1, pseudonym, statsCsv, weightedF1 } from "./campaign-stats";
import { addSeed, createCampaign, getCampaign, listCampaigns, publishCampaign, removeSeed, updateCampaignSettings } from "./campaigns";
import { groundTruthBodies, seedNear } from "./demo-campaign";
import { registerDatasetIn } from "./register-dataset";
import { assignTask } from "./tasks";
import { submitTrace } from "./traces";
import { createGuest } from "./users";

let t: TestDb;
let datasetId: string;
let researcher: Actor;
let other: Actor;
let admin: Actor;
let seeds: { x: number; y: number; z: number }[];

async function user(role: "RESEARCHER" | "ADMIN" | "PLAYER"): Promise<Actor> {
  const u = await t.db.user.create({ data: { username: `${role.toLowerCase()}-${randomUUID().slice(0, 8)}`, role } });
  return { userId: u.id, username: u.username, role: u.role, isGuest: false };
}
const settings = { minPlayers: 2, maxPlayers: 3, retireConfidence: 0.9 };

beforeAll(async () => {
  t = await createTestDatabase();
  datasetId = (await registerDatasetIn(t.db, await readManifest(SAMPLE.slug))).datasetId;
  [researcher, other, admin] = [await user("RESEARCHER"), await user("RESEARCHER"), await user("ADMIN")];
  const v = await groundTruthBodies(SAMPLE.slug);
  seeds = v.bodies.slice(0, 3).map((b) => seedNear(v.gt, v.sv, v.shape, b.body, b.centroid)!);
}, 300_000);
afterAll(async () => t?.drop());

describe("campaigns", () => {
  it("only researchers and admins create campaigns, with checked settings on a READY dataset", async () => {
    const player = await user("PLAYER");
    await expect(createCampaign(t.db, player, { name: "x", datasetId, ...settings })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCampaign(t.db, null, { name: "x", datasetId, ...settings })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCampaign(t.db, researcher, { name: "x", datasetId, minPlayers: 4, maxPlayers: 2, retireConfidence: 0.9 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(createCampaign(t.db, researcher, { name: "x", datasetId: randomUUID(), ...settings })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db.campaign.count()).toBe(0);
  });

  it("a draft's cubes are not handed out; publishing does; neurons without a campaign keep being played", async () => {
    const { id } = await createCampaign(t.db, researcher, { name: "Medulla column", datasetId, ...settings });
    const n = await addSeed(t.db, researcher, { campaignId: id, point: seeds[0]! });
    expect(n.seedSupervoxel).toBeGreaterThan(0);
    await expect(addSeed(t.db, researcher, { campaignId: id, point: seeds[0]! })).rejects.toMatchObject({ code: "CONFLICT" });
    const neuron = await t.db.neuron.findUniqueOrThrow({ where: { id: n.id }, include: { tasks: true } });
    expect(neuron.campaignId).toBe(id);
    expect(neuron.minPlayers).toBe(2);
    expect(neuron.tasks[0]!.redundancy).toBe(2);

    const p1 = await createGuest(t.db);
    expect(await assignTask(t.db, p1), "a draft campaign's cube must not be played").toBeNull();

    // Another researcher neither sees nor changes it; an admin sees it.
    await expect(getCampaign(t.db, other, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(publishCampaign(t.db, other, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listCampaigns(t.db, other)).map((c) => c.id)).not.toContain(id);
    expect((await listCampaigns(t.db, admin)).map((c) => c.id)).toContain(id);

    await updateCampaignSettings(t.db, researcher, { id, minPlayers: 3, maxPlayers: 4, retireConfidence: 0.8 });
    expect((await t.db.task.findFirstOrThrow({ where: { neuronId: n.id } })).redundancy).toBe(3);

    const pub = await publishCampaign(t.db, researcher, id);
    expect(pub.status).toBe("PUBLISHED");
    await expect(addSeed(t.db, researcher, { campaignId: id, point: seeds[1]! })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(updateCampaignSettings(t.db, researcher, { id, ...settings })).rejects.toMatchObject({ code: "CONFLICT" });
    const got = await assignTask(t.db, p1);
    expect(got?.neuronId).toBe(n.id);

    // A neuron in no campaign (the demo campaign) is played as before.
    const { startNeuron } = await import("./neurons");
    const demo = await startNeuron(t.db, { datasetId, name: "demo", seed: seeds[2]! });
    const p2 = await createGuest(t.db);
    await t.db.task.updateMany({ where: { neuronId: n.id }, data: { status: "RETIRED" } });
    expect((await assignTask(t.db, p2))?.neuronId).toBe(demo.id);
    await t.db.neuron.deleteMany({});
    await t.db.campaign.deleteMany({});
  });

  it("publishing needs a seed; removing a seed only in a draft", async () => {
    const { id } = await createCampaign(t.db, researcher, { name: "Empty", datasetId, ...settings });
    await expect(publishCampaign(t.db, researcher, id)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const n = await addSeed(t.db, researcher, { campaignId: id, point: seeds[1]! });
    // The owner exported the draft: its stored files go with it.
    const stored = path.join(exportsRoot(), n.id, "swc-0123");
    await mkdir(stored, { recursive: true });
    await writeFile(path.join(stored, "manifest.json"), "{}");
    await removeSeed(t.db, researcher, { campaignId: id, neuronId: n.id });
    expect(await t.db.neuron.count({ where: { campaignId: id } })).toBe(0);
    expect(existsSync(path.join(exportsRoot(), n.id))).toBe(false);
    await expect(removeSeed(t.db, researcher, { campaignId: id, neuronId: n.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addSeed(t.db, researcher, { campaignId: id, point: { x: 0, y: 0, z: 100_000 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await t.db.campaign.deleteMany({});
  });
});

describe("campaign stats", () => {
  it("agreement is the mean pairwise voxel-weighted F1", () => {
    const size = (id: number) => ({ 1: 10, 2: 30, 3: 60 })[id] ?? 0;
    expect(weightedF1([1, 2], [1, 2], size)).toBe(1);
    expect(weightedF1([1], [2], size)).toBe(0);
    expect(weightedF1([1, 2], [2], size)).toBeCloseTo((2 * 30) / (40 + 30), 10);
    expect(meanPairwiseF1([[1, 2], [1, 2], [2]], size)).toBeCloseTo((1 + 60 / 70 + 60 / 70) / 3, 10);
    expect(meanPairwiseF1([[1]], size)).toBeNull();
    expect(histogram([0, 0.05, 0.5, 0.99, 1], 10)).toEqual([2, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
  });

  it("counts cubes, neurons, agreement and reliability of a small played campaign, with pseudonyms only", async () => {
    const { id } = await createCampaign(t.db, researcher, { name: "Stats", datasetId, ...settings });
    const a = await addSeed(t.db, researcher, { campaignId: id, point: seeds[0]! });
    await addSeed(t.db, researcher, { campaignId: id, point: seeds[1]! });
    await publishCampaign(t.db, researcher, id);
    const root = await t.db.task.findFirstOrThrow({ where: { neuronId: a.id } });
    // Two players trace neuron a's root cube: the seed only, and the seed plus its largest other supervoxel.
    const extra = root.supervoxelIds
      .map((sv, k) => ({ sv, size: root.supervoxelSizes[k]! }))
      .filter((s) => !root.seeds.includes(s.sv))
      .sort((x, y) => y.size - x.size)[0]!;
    const players = [await createGuest(t.db), await createGuest(t.db)];
    const answers = [root.seeds, [...root.seeds, extra.sv]];
    for (let i = 0; i < 2; i++) {
      const task = await assignTask(t.db, players[i]!);
      expect(task?.taskId).toBe(root.id);
      await submitTrace(t.db, players[i]!, { traceId: randomUUID(), taskId: root.id, supervoxels: answers[i]! });
    }
    await t.db.reliability.upsert({
      where: { userId: players[0]!.userId },
      create: { userId: players[0]!.userId, sensHits: 8, sensTotal: 10, specHits: 3, specTotal: 4 },
      update: { sensHits: 8, sensTotal: 10, specHits: 3, specTotal: 4 },
    });

    const s = await campaignStats(t.db, researcher, id);
    const cubes = await t.db.task.findMany({ where: { neuron: { campaignId: id } } });
    expect(s.cubesDone + s.cubesOpen).toBe(cubes.length);
    expect(s.cubesDone).toBe(cubes.filter((c) => c.status === "RETIRED").length);
    expect(s.neurons).toBe(2);
    expect(s.neuronsComplete).toBe(0);
    expect(s.traces).toBe(2);
    const seedSize = root.seeds.reduce((sum, sv) => sum + root.supervoxelSizes[root.supervoxelIds.indexOf(sv)]!, 0);
    const rootStat = s.cubes.find((c) => c.cubeId === root.id)!;
    expect(rootStat.players).toBe(2);
    expect(rootStat.agreement).toBeCloseTo((2 * seedSize) / (seedSize + seedSize + extra.size), 6);
    expect(s.meanAgreement).toBeCloseTo(rootStat.agreement!, 10);
    expect(s.players).toHaveLength(2);
    const p0 = s.players.find((p) => p.player === pseudonym(id, players[0]!.userId))!;
    expect(p0.sensitivity).toBeGreaterThan(0.5);
    expect(p0.specificity).toBeGreaterThan(0.5);
    // Reliability rows are read as they are now: player 0's specificity evidence was set above.
    const r0 = await t.db.reliability.findUniqueOrThrow({ where: { userId: players[0]!.userId } });
    expect(p0.specificity).toBeCloseTo((r0.specHits + 1) / (r0.specTotal + 2), 10);

    const csv = statsCsv(s, "players");
    for (const p of players) {
      expect(csv).not.toContain(p.username);
      expect(csv).not.toContain(p.userId);
    }
    expect(csv.split("\n")[0]).toBe("player,cubes,sensitivity_posterior_mean,specificity_posterior_mean,mean_f1");
    expect(statsCsv(s, "cubes").trim().split("\n")).toHaveLength(1 + s.cubes.length);
    expect(statsCsv(s, "summary")).toContain(`${id},Stats,PUBLISHED,${s.cubesDone},${s.cubesOpen},2,0,2,`);
    await expect(campaignStats(t.db, other, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(pseudonym(id, players[0]!.userId)).not.toBe(pseudonym(randomUUID(), players[0]!.userId));
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, verified, and rejected once revoked", async () => {
    const created = await createApiToken(t.db, researcher, { name: "pipeline" });
    expect(created.token).toMatch(/^axn_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(4));
    expect(JSON.stringify(await listApiTokens(t.db, researcher))).not.toContain(created.token.slice(4));

    const who = await verifyApiToken(t.db, created.token);
    expect(who?.userId).toBe(researcher.userId);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();
    expect(await verifyApiToken(t.db, created.token.slice(0, -1) + (created.token.endsWith("A") ? "B" : "A"))).toBeNull();
    expect(await verifyApiToken(t.db, "not-a-token")).toBeNull();

    await expect(revokeApiToken(t.db, other, created.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await verifyApiToken(t.db, created.token)).not.toBeNull();
    await revokeApiToken(t.db, researcher, created.id);
    expect(await verifyApiToken(t.db, created.token)).toBeNull();
    await expect(createApiToken(t.db, await user("PLAYER"), { name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
