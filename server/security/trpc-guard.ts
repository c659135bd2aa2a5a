// One tRPC middleware (installed in server/trpc/init.ts) for the transport-level protections:
// - rate limits on sign-up, class lookup/join and trace submission, counted in the database so every
//   instance shares them (only for HTTP requests: tests and the CLI call procedures in-process);
// - a database that is down or restarting, or a deadlock that outlived the service's retries, becomes
//   SERVICE_UNAVAILABLE (503 + Retry-After: try again), never a 500.
import { TRPCError } from "@trpc/server";
import type { Db } from "@/server/db/client";
import type { Actor } from "@/server/services/actor";
import { BUSY_MESSAGE, DB_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, isTransactionTimeout, isTransientConflict } from "./db-unavailable";
import { enforce, RateLimitedError, RULES, type Check } from "./rate-limit";

/** Set by the HTTP context only. `ip`: null when the address cannot be trusted (server/security/client-ip.ts). */
export type ClientInfo = { ip: string | null };

type GuardCtx = { db: Db; actor: Actor | null; client?: ClientInfo };

export function checksFor(path: string, ctx: GuardCtx): Check[] {
  const ip = ctx.client?.ip;
  const byIp = (rule: Check["rule"]): Check[] => (ip ? [{ rule, subject: ip }] : []);
  switch (path) {
    case "auth.signUp":
      return byIp(RULES.signUpIp);
    case "classroom.lookup":
    case "classroom.join":
      return byIp(RULES.joinIp);
    case "trace.submit":
      return [...(ctx.actor ? [{ rule: RULES.submitAccount, subject: ctx.actor.userId }] : []), ...byIp(RULES.submitIp)];
    default:
      return [];
  }
}

export function tooManyRequests(err: RateLimitedError): TRPCError {
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: err.message, cause: err });
}

export function serviceUnavailable(cause: unknown, message = DB_UNAVAILABLE_MESSAGE): TRPCError {
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message, cause: cause instanceof Error ? cause : undefined });
}

type MiddlewareResult = { ok: boolean; error?: TRPCError };

export async function guard<R extends MiddlewareResult>(opts: { ctx: GuardCtx; path: string; next: () => Promise<R> }): Promise<R> {
  const { ctx, path, next } = opts;
  if (ctx.client) {
    const checks = checksFor(path, ctx);
    if (checks.length) {
      try {
        await enforce(ctx.db, checks);
      } catch (err) {
        if (err instanceof RateLimitedError) throw tooManyRequests(err);
        if (isDatabaseUnavailable(err)) throw serviceUnavailable(err);
        throw err;
      }
    }
  }
  const result = await next();
  if (!result.ok && result.error && result.error.code === "INTERNAL_SERVER_ERROR") {
    if (isDatabaseUnavailable(result.error.cause)) throw serviceUnavailable(result.error.cause);
    // A deadlock that outlived the service's own retries, or a transaction that ran past its timeout under
    // load: both were rolled back, so the client may simply try again.
    if (isTransientConflict(result.error.cause) || isTransactionTimeout(result.error.cause)) throw serviceUnavailable(result.error.cause, BUSY_MESSAGE);
  }
  return result;
}
