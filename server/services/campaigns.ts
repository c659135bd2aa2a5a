// Researcher campaigns: a named set of neurons on one dataset with its redundancy settings. A campaign is a
// DRAFT while the researcher picks seed points; its cubes reach players only once it is PUBLISHED
// (server/services/tasks.ts filters on it). Ownership is part of every query: a researcher sees and changes
// only their own campaigns, an admin every campaign.
import type { Db } from "@/server/db/client";
import type { Vec3 } from "@/core/volume";
import type { Actor } from "./actor";
import { badInput, conflict, forbidden, notFound } from "./errors";
import { startNeuron } from "./neurons";
import { removeNeuronExports } from "@/server/export/export-store";

export type CampaignSettings = { minPlayers: number; maxPlayers: number; retireConfidence: number };
export const MAX_CAMPAIGN_NEURONS = 200;

/** Researchers and admins only; checked here as well as in the router, so the CLI and tests get it too. */
export function requireResearcher(actor: Actor | null): Actor {
  if (!actor) throw forbidden("Sign in as a researcher first");
  if (actor.role !== "RESEARCHER" && actor.role !== "ADMIN") throw forbidden("Only researcher and admin accounts may manage campaigns");
  return actor;
}

/** The `where` that limits a query to campaigns the actor may manage. */
export const ownedBy = (actor: Actor) => (actor.role === "ADMIN" ? {} : { ownerId: actor.userId });

function checkSettings(s: CampaignSettings) {
  if (!(s.minPlayers >= 1 && s.maxPlayers >= s.minPlayers)) throw badInput("players: need 1 <= minPlayers <= maxPlayers");
  if (!(s.retireConfidence > 0 && s.retireConfidence <= 1)) throw badInput("retireConfidence must be in (0, 1]");
}

export async function createCampaign(db: Db, actorIn: Actor | null, input: { name: string; datasetId: string } & CampaignSettings) {
  const actor = requireResearcher(actorIn);
  checkSettings(input);
  const dataset = await db.dataset.findFirst({ where: { id: input.datasetId, status: "READY" }, select: { id: true } });
  if (!dataset) throw notFound("dataset");
  const c = await db.campaign.create({
    data: { name: input.name, datasetId: dataset.id, ownerId: actor.userId, minPlayers: input.minPlayers, maxPlayers: input.maxPlayers, retireConfidence: input.retireConfidence },
  });
  return { id: c.id };
}

async function ownedCampaign(db: Db, actor: Actor, id: string) {
  const c = await db.campaign.findFirst({ where: { id, ...ownedBy(actor) } });
  if (!c) throw notFound("campaign");
  return c;
}

export async function listCampaigns(db: Db, actorIn: Actor | null) {
  const actor = requireResearcher(actorIn);
  const rows = await db.campaign.findMany({
    where: ownedBy(actor),
    orderBy: { createdAt: "desc" },
    include: { dataset: { select: { name: true } }, neurons: { select: { status: true } } },
  });
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    datasetName: c.dataset.name,
    neurons: c.neurons.length,
    completeNeurons: c.neurons.filter((n) => n.status === "COMPLETE").length,
    createdAt: c.createdAt,
  }));
}

export async function getCampaign(db: Db, actorIn: Actor | null, id: string) {
  const actor = requireResearcher(actorIn);
  const c = await db.campaign.findFirst({
    where: { id, ...ownedBy(actor) },
    include: {
      dataset: { select: { id: true, name: true, width: true, height: true, depth: true, tileSize: true, levels: true, chunkSize: true, voxelSizeX: true, voxelSizeY: true, voxelSizeZ: true, license: true, attribution: true } },
      neurons: {
        orderBy: { createdAt: "asc" },
        select: { id: true, name: true, color: true, status: true, seedX: true, seedY: true, seedZ: true, seeds: true, tasks: { select: { status: true } } },
      },
    },
  });
  if (!c) throw notFound("campaign");
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    minPlayers: c.minPlayers,
    maxPlayers: c.maxPlayers,
    retireConfidence: c.retireConfidence,
    publishedAt: c.publishedAt,
    dataset: c.dataset,
    neurons: c.neurons.map((n) => ({
      id: n.id,
      name: n.name,
      color: n.color,
      status: n.status,
      seed: { x: n.seedX, y: n.seedY, z: n.seedZ },
      seedSupervoxels: n.seeds,
      cubes: n.tasks.length,
      retiredCubes: n.tasks.filter((t) => t.status === "RETIRED").length,
    })),
  };
}

/** Changes the redundancy while the campaign is a draft (its neurons follow). */
export async function updateCampaignSettings(db: Db, actorIn: Actor | null, input: { id: string } & CampaignSettings) {
  const actor = requireResearcher(actorIn);
  checkSettings(input);
  const c = await ownedCampaign(db, actor, input.id);
  if (c.status !== "DRAFT") throw conflict("a published campaign's redundancy can no longer change");
  const s = { minPlayers: input.minPlayers, maxPlayers: input.maxPlayers, retireConfidence: input.retireConfidence };
  await db.$transaction([
    db.campaign.update({ where: { id: c.id }, data: s }),
    db.neuron.updateMany({ where: { campaignId: c.id }, data: s }),
    db.task.updateMany({ where: { neuron: { campaignId: c.id }, submissions: 0 }, data: { redundancy: s.minPlayers, maxPlayers: s.maxPlayers } }),
  ]);
  return { id: c.id };
}

/**
 * A clicked voxel becomes a neuron of the campaign: its supervoxel is the seed, its root cube the grid cell
 * that holds it (startNeuron). A click on a supervoxel some neuron of this campaign already starts from is refused.
 */
export async function addSeed(db: Db, actorIn: Actor | null, input: { campaignId: string; point: Vec3; name?: string }) {
  const actor = requireResearcher(actorIn);
  const c = await ownedCampaign(db, actor, input.campaignId);
  if (c.status !== "DRAFT") throw conflict("seeds can be added only while the campaign is a draft");
  const count = await db.neuron.count({ where: { campaignId: c.id } });
  if (count >= MAX_CAMPAIGN_NEURONS) throw badInput(`a campaign holds at most ${MAX_CAMPAIGN_NEURONS} neurons`);
  const neuron = await startNeuron(db, {
    datasetId: c.datasetId,
    name: input.name ?? `${c.name} #${count + 1}`,
    seed: input.point,
    campaignId: c.id,
    settings: { minPlayers: c.minPlayers, maxPlayers: c.maxPlayers, retireConfidence: c.retireConfidence },
  });
  const seed = neuron.seeds[0]!;
  const twin = await db.neuron.findFirst({ where: { campaignId: c.id, id: { not: neuron.id }, seeds: { has: seed } }, select: { name: true } });
  if (twin) {
    await db.neuron.delete({ where: { id: neuron.id } });
    throw conflict(`supervoxel ${seed} already seeds "${twin.name}"`);
  }
  return { id: neuron.id, name: neuron.name, seedSupervoxel: seed, seed: input.point };
}

export async function removeSeed(db: Db, actorIn: Actor | null, input: { campaignId: string; neuronId: string }) {
  const actor = requireResearcher(actorIn);
  const c = await ownedCampaign(db, actor, input.campaignId);
  if (c.status !== "DRAFT") throw conflict("neurons can be removed only while the campaign is a draft");
  const gone = await db.neuron.deleteMany({ where: { id: input.neuronId, campaignId: c.id } });
  if (gone.count === 0) throw notFound("neuron");
  await removeNeuronExports([input.neuronId]); // its owner may have exported the draft
  return { removed: true };
}

/** Publishing hands the campaign's cubes to players; a campaign needs at least one seed. */
export async function publishCampaign(db: Db, actorIn: Actor | null, id: string) {
  const actor = requireResearcher(actorIn);
  const c = await ownedCampaign(db, actor, id);
  if (c.status === "PUBLISHED") return { id: c.id, status: c.status, publishedAt: c.publishedAt };
  if ((await db.neuron.count({ where: { campaignId: c.id } })) === 0) throw badInput("add at least one seed point before publishing");
  const up = await db.campaign.update({ where: { id: c.id }, data: { status: "PUBLISHED", publishedAt: new Date() } });
  return { id: up.id, status: up.status, publishedAt: up.publishedAt };
}

/** READY datasets a campaign can be created on. */
export async function campaignDatasets(db: Db, actorIn: Actor | null) {
  requireResearcher(actorIn);
  return db.dataset.findMany({ where: { status: "READY" }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, width: true, height: true, depth: true } });
}
