// A researcher's REST API tokens: create (the token is returned once), list (prefixes only), revoke.
import { z } from "zod";
import { createApiToken, listApiTokens, revokeApiToken } from "@/server/services/api-tokens";
import { roleProcedure, router } from "../init";

const researcherProcedure = roleProcedure("RESEARCHER", "ADMIN");
const tokenRow = { id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.date() };

export const apiTokensRouter = router({
  create: researcherProcedure
    .input(z.object({ name: z.string().trim().min(1, "name is required").max(60) }))
    .output(z.object({ ...tokenRow, token: z.string() }))
    .mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.actor, input)),
  list: researcherProcedure
    .input(z.void())
    .output(z.array(z.object({ ...tokenRow, lastUsedAt: z.date().nullable(), revokedAt: z.date().nullable() })))
    .query(({ ctx }) => listApiTokens(ctx.db, ctx.actor)),
  revoke: researcherProcedure
    .input(z.object({ id: z.string().uuid("token id must be a UUID") }))
    .output(z.object({ id: z.string(), revoked: z.boolean() }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.actor, input.id)),
});
