// The API. Routers stay thin: validate with zod, call a service.
import { z } from "zod";
import { assignTask } from "@/server/services/tasks";
import { submitTrace } from "@/server/services/traces";
import { getNeuron, listNeurons } from "@/server/services/neurons";
import { profile, signUp, signUpSchema } from "@/server/services/users";
import { playerProcedure, publicProcedure, router } from "./init";
import { gameTaskSchema, neuronListSchema, neuronSchema, profileSchema, submitResultSchema } from "./schemas";

export const MAX_TRACE_SUPERVOXELS = 5000;

const uuid = (what: string) => z.string().uuid(`${what} must be a UUID`);

export const appRouter = router({
  task: router({
    assign: playerProcedure.input(z.void()).output(gameTaskSchema.nullable()).mutation(({ ctx }) => assignTask(ctx.db, ctx.actor)),
  }),
  trace: router({
    submit: playerProcedure
      .input(
        z.object({
          traceId: uuid("traceId"),
          taskId: uuid("taskId"),
          supervoxels: z.array(z.number().int("supervoxel ids are integers").positive("supervoxel ids are positive")).max(MAX_TRACE_SUPERVOXELS, `at most ${MAX_TRACE_SUPERVOXELS} supervoxels`),
        }),
      )
      .output(submitResultSchema)
      .mutation(({ ctx, input }) => submitTrace(ctx.db, ctx.actor, input)),
  }),
  neuron: router({
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
  me: router({
    get: playerProcedure.input(z.void()).output(profileSchema).query(({ ctx }) => profile(ctx.db, ctx.actor)),
  }),
});

export type AppRouter = typeof appRouter;
