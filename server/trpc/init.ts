// tRPC setup: the inner context ({ db, actor }) used by routes, tests and the CLI alike, and one middleware
// that maps domain errors to tRPC codes.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Db } from "@/server/db/client";
import type { DatabaseKind } from "@/server/db/adapter";
import type { Actor } from "@/server/services/actor";
import { DomainError } from "@/server/services/errors";

export type Context = { db: Db; dbKind: DatabaseKind; actor: Actor | null };

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return { ...shape, data: { ...shape.data, details: cause instanceof DomainError ? (cause.details ?? null) : null, stack: undefined } };
  },
});

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);
export const playerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or play as a guest first" });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});
