// The API. Routers stay thin: validate with zod, call a service.
import { z } from "zod";
import { assignTask } from "@/server/services/tasks";
import { MAX_TRACE_SUPERVOXELS, reviewTrace, submitTrace } from "@/server/services/traces";
import { getNeuron, listNeurons, startNeuron } from "@/server/services/neurons";
import { listAudit, overrideConsensus } from "@/server/services/review";
import { forbidden } from "@/server/services/errors";
import { profile, signUp, signUpSchema } from "@/server/services/users";
import { MAX_SPLITS } from "@/core/trace-splits";
import { playerProcedure, publicProcedure, router } from "./init";
import { apiTokensRouter } from "./routers/api-tokens";
import { campaignRouter } from "./routers/campaign";
import { classroomRouter } from "./routers/classroom";
import { competitionRouter } from "./routers/competition";
import { leaderboardRouter } from "./routers/leaderboard";
import { importsRouter } from "./routers/imports";
import { adminRouter, profileRouter } from "./routers/profile";
import {
  auditListSchema,
  gameTaskSchema,
  neuronListSchema,
  neuronSchema,
  overrideResultSchema,
  profileSchema,
  startedNeuronSchema,
  submitResultSchema,
  traceReviewSchema,
} from "./schemas";

export { MAX_TRACE_SUPERVOXELS };

const uuid = (what: string) => z.string().uuid(`${what} must be a UUID`);
const voxel = z.object({ x: z.number().int(), y: z.number().int(), z: z.number().int() });
const traceSplitSchema = z.object({
  supervoxel: z.number().int().positive(),
  zFrom: z.number().int().nonnegative(),
  zTo: z.number().int().nonnegative(),
  keep: voxel,
  drop: voxel,
  threshold: z.number().gt(0).lt(1),
  keepVoxels: z.number().int().positive(),
  dropVoxels: z.number().int().positive(),
});
const supervoxelIds = z
  .array(z.number().int("supervoxel ids are integers").positive("supervoxel ids are positive"))
  .max(MAX_TRACE_SUPERVOXELS, `at most ${MAX_TRACE_SUPERVOXELS} supervoxels`);
const settings = z
  .object({
    consensusMethod: z.enum(["DAWID_SKENE", "WEIGHTED_MAJORITY"]),
    minPlayers: z.number().int().min(1).max(50),
    maxPlayers: z.number().int().min(1).max(50),
    retireConfidence: z.number().min(0).max(1),
    minExitVoxels: z.number().int().min(1),
  })
  .partial();

export const appRouter = router({
  task: router({
    assign: playerProcedure
      .input(z.object({ practice: z.boolean().optional() }).optional())
      .output(gameTaskSchema.nullable())
      .mutation(({ ctx, input }) => assignTask(ctx.db, ctx.actor, { practice: input?.practice ?? false })),
  }),
  trace: router({
    submit: playerProcedure
      .input(
        z.object({
          traceId: uuid("traceId"),
          taskId: uuid("taskId"),
          supervoxels: supervoxelIds,
          /** Splits of selected supervoxels the player accepted in the game (core/trace-splits.ts); optional. */
          splits: z.array(traceSplitSchema).max(MAX_SPLITS, `at most ${MAX_SPLITS} splits`).optional(),
        }),
      )
      .output(submitResultSchema)
      .mutation(({ ctx, input }) => submitTrace(ctx.db, ctx.actor, input)),
    /** Your trace of a cube against its current consensus (it changes as more players trace the cube). */
    review: playerProcedure.input(z.object({ taskId: uuid("taskId") })).output(traceReviewSchema).query(({ ctx, input }) => reviewTrace(ctx.db, ctx.actor, input.taskId)),
  }),
  review: router({
    /** Reviewers, experts and admins: set a cube's consensus by hand (audited). */
    override: playerProcedure
      .input(z.object({ taskId: uuid("taskId"), supervoxels: supervoxelIds, reason: z.string().max(500) }))
      .output(overrideResultSchema)
      .mutation(({ ctx, input }) => overrideConsensus(ctx.db, ctx.actor, input)),
    audit: playerProcedure
      .input(z.object({ taskId: uuid("taskId").optional() }))
      .output(auditListSchema)
      .query(({ ctx, input }) => listAudit(ctx.db, ctx.actor, input)),
  }),
  neuron: router({
    /** Researchers and admins: start a neuron from a seed point and/or seed supervoxels; makes its root cube. */
    start: playerProcedure
      .input(
        z.object({
          datasetId: uuid("datasetId"),
          name: z.string().trim().min(1).max(80),
          seed: z.object({ x: z.number().int(), y: z.number().int(), z: z.number().int() }).optional(),
          seedSupervoxels: supervoxelIds.max(100).optional(),
          settings: settings.optional(),
        }),
      )
      .output(startedNeuronSchema)
      .mutation(async ({ ctx, input }) => {
        if (ctx.actor.role !== "RESEARCHER" && ctx.actor.role !== "ADMIN") throw forbidden("only researchers and admins can start a neuron");
        const n = await startNeuron(ctx.db, { ...input, seed: input.seed, seedSupervoxels: input.seedSupervoxels, settings: input.settings ?? {} });
        const root = n.tasks[0]!;
        return { id: n.id, name: n.name, rootTaskId: root.id, seeds: root.seeds, box: { x0: root.x0, y0: root.y0, z0: root.z0, x1: root.x1, y1: root.y1, z1: root.z1 } };
      }),
    get: publicProcedure.input(z.object({ id: uuid("neuron id") })).output(neuronSchema).query(({ ctx, input }) => getNeuron(ctx.db, input.id)),
    list: publicProcedure.input(z.void()).output(neuronListSchema).query(({ ctx }) => listNeurons(ctx.db)),
  }),
  auth: router({
    signUp: publicProcedure
      .input(signUpSchema)
      .output(z.object({ username: z.string(), upgradedGuest: z.boolean() }))
      .mutation(async ({ ctx, input }) => {
        const actor = await signUp(ctx.db, input, ctx.actor);
        return { username: actor.username, upgradedGuest: Boolean(ctx.actor?.isGuest) };
      }),
  }),
  campaign: campaignRouter,
  apiToken: apiTokensRouter,
  classroom: classroomRouter,
  leaderboard: leaderboardRouter,
  competition: competitionRouter,
  profile: profileRouter,
  admin: adminRouter,
  imports: importsRouter,
  me: router({
    get: playerProcedure.input(z.void()).output(profileSchema).query(({ ctx }) => profile(ctx.db, ctx.actor)),
  }),
});

export type AppRouter = typeof appRouter;
