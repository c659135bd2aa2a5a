// Researcher campaigns: create on a dataset, add seeds by clicking voxels, set redundancy, publish, and the
// progress dashboard's numbers. Researchers and admins only (ownership is checked in the services).
import { z } from "zod";
import { addSeed, campaignDatasets, createCampaign, getCampaign, listCampaigns, publishCampaign, removeSeed, updateCampaignSettings } from "@/server/services/campaigns";
import { campaignStats } from "@/server/services/campaign-stats";
import { roleProcedure, router } from "../init";

const researcherProcedure = roleProcedure("RESEARCHER", "ADMIN");
const uuid = (what: string) => z.string().uuid(`${what} must be a UUID`);
const settings = {
  minPlayers: z.number().int().min(1).max(50),
  maxPlayers: z.number().int().min(1).max(50),
  retireConfidence: z.number().gt(0).max(1),
};
const coord = z.number().int().min(0).max(1_000_000);
const status = z.enum(["DRAFT", "PUBLISHED"]);
const neuronStatus = z.enum(["ACTIVE", "COMPLETE"]);
const vec = z.object({ x: z.number(), y: z.number(), z: z.number() });

export const campaignRouter = router({
  datasets: researcherProcedure
    .input(z.void())
    .output(z.array(z.object({ id: z.string(), name: z.string(), width: z.number(), height: z.number(), depth: z.number() })))
    .query(({ ctx }) => campaignDatasets(ctx.db, ctx.actor)),
  create: researcherProcedure
    .input(z.object({ name: z.string().trim().min(1, "name is required").max(80), datasetId: uuid("datasetId"), ...settings }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => createCampaign(ctx.db, ctx.actor, input)),
  list: researcherProcedure
    .input(z.void())
    .output(z.array(z.object({ id: z.string(), name: z.string(), status, datasetName: z.string(), neurons: z.number(), completeNeurons: z.number(), createdAt: z.date() })))
    .query(({ ctx }) => listCampaigns(ctx.db, ctx.actor)),
  get: researcherProcedure
    .input(z.object({ id: uuid("campaign id") }))
    .output(
      z.object({
        id: z.string(),
        name: z.string(),
        status,
        minPlayers: z.number(),
        maxPlayers: z.number(),
        retireConfidence: z.number(),
        publishedAt: z.date().nullable(),
        dataset: z.object({
          id: z.string(), name: z.string(), width: z.number(), height: z.number(), depth: z.number(), tileSize: z.number(), levels: z.number(), chunkSize: z.number(),
          voxelSizeX: z.number(), voxelSizeY: z.number(), voxelSizeZ: z.number(), license: z.string(), attribution: z.string(),
        }),
        neurons: z.array(z.object({ id: z.string(), name: z.string(), color: z.string(), status: neuronStatus, seed: vec, seedSupervoxels: z.array(z.number()), cubes: z.number(), retiredCubes: z.number() })),
      }),
    )
    .query(({ ctx, input }) => getCampaign(ctx.db, ctx.actor, input.id)),
  updateSettings: researcherProcedure
    .input(z.object({ id: uuid("campaign id"), ...settings }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => updateCampaignSettings(ctx.db, ctx.actor, input)),
  addSeed: researcherProcedure
    .input(z.object({ campaignId: uuid("campaignId"), point: z.object({ x: coord, y: coord, z: coord }), name: z.string().trim().min(1).max(80).optional() }))
    .output(z.object({ id: z.string(), name: z.string(), seedSupervoxel: z.number(), seed: vec }))
    .mutation(({ ctx, input }) => addSeed(ctx.db, ctx.actor, input)),
  removeSeed: researcherProcedure
    .input(z.object({ campaignId: uuid("campaignId"), neuronId: uuid("neuronId") }))
    .output(z.object({ removed: z.boolean() }))
    .mutation(({ ctx, input }) => removeSeed(ctx.db, ctx.actor, input)),
  publish: researcherProcedure
    .input(z.object({ id: uuid("campaign id") }))
    .output(z.object({ id: z.string(), status, publishedAt: z.date().nullable() }))
    .mutation(({ ctx, input }) => publishCampaign(ctx.db, ctx.actor, input.id)),
  stats: researcherProcedure
    .input(z.object({ id: uuid("campaign id") }))
    .output(
      z.object({
        campaignId: z.string(), name: z.string(), status,
        cubesDone: z.number(), cubesOpen: z.number(), neurons: z.number(), neuronsComplete: z.number(), traces: z.number(), meanAgreement: z.number().nullable(),
        cubes: z.array(z.object({ cubeId: z.string(), neuronId: z.string(), neuronName: z.string(), status: z.enum(["OPEN", "RETIRED"]), players: z.number(), wanted: z.number(), confidence: z.number().nullable(), agreement: z.number().nullable() })),
        players: z.array(z.object({ player: z.string(), cubes: z.number(), sensitivity: z.number(), specificity: z.number(), accuracy: z.number().nullable() })),
      }),
    )
    .query(({ ctx, input }) => campaignStats(ctx.db, ctx.actor, input.id)),
});
