// tRPC setup: the inner context ({ db, actor }) used by routes, tests and the CLI alike, and one middleware
// that maps domain errors to tRPC codes.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Db } from "@/server/db/client";
import type { DatabaseKind } from "@/server/db/adapter";
import type { Actor } from "@/server/services/actor";
import type { Role } from "@/server/db/generated/enums";
import { DomainError } from "@/server/services/errors";
import { guard, type ClientInfo } from "@/server/security/trpc-guard";

/** `client`: set for HTTP requests only (rate limits by address; server/security/trpc-guard.ts). */
export type Context = { db: Db; dbKind: DatabaseKind; actor: Actor | null; client?: ClientInfo };

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
// Rate limits and database-down → 503 (server/security/trpc-guard.ts), then domain errors → codes.
const security = t.middleware(({ ctx, path, next }) => guard({ ctx, path, next }));
export const publicProcedure = t.procedure.use(security).use(domainErrors);
export const playerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or play as a guest first" });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/**
 * Signed-in callers with one of `roles`; anyone else gets FORBIDDEN before the procedure runs (anonymous
 * callers UNAUTHORIZED). Ownership (this teacher's class) is checked by the service, in its queries.
 */
export const roleProcedure = (...roles: Role[]) =>
  playerProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.actor.role)) throw new TRPCError({ code: "FORBIDDEN", message: `Only ${roles.map((r) => r.toLowerCase()).join(" or ")} accounts may do this` });
    return next();
  });
export const teacherProcedure = roleProcedure("TEACHER", "ADMIN");
export const adminProcedure = roleProcedure("ADMIN");
