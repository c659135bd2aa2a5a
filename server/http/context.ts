import "server-only";
import { getServerSession } from "next-auth";
import { authOptions, actorFromUserId } from "@/server/auth/options";
import { getDatabase } from "@/server/db/client";
import type { Context } from "@/server/trpc/init";
import { clientIp } from "@/server/security/client-ip";
import { isDatabaseUnavailable } from "@/server/security/db-unavailable";
import { serviceUnavailable } from "@/server/security/trpc-guard";

/** Outer context: the request's session → the inner { db, actor }, plus the client's address for rate limits. */
export async function createRequestContext(opts?: { req?: Request }): Promise<Context> {
  try {
    const [{ db, kind }, session] = await Promise.all([getDatabase(), getServerSession(authOptions)]);
    const actor = await actorFromUserId((session as { userId?: string } | null)?.userId);
    return { db, dbKind: kind, actor, client: { ip: opts?.req ? clientIp(opts.req.headers) : null } };
  } catch (err) {
    // The database is down or restarting: 503 with Retry-After, not a 500 (the client retries).
    if (isDatabaseUnavailable(err)) throw serviceUnavailable(err);
    throw err;
  }
}
