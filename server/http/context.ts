import "server-only";
import { getServerSession } from "next-auth";
import { authOptions, actorFromUserId } from "@/server/auth/options";
import { getDatabase } from "@/server/db/client";
import type { Context } from "@/server/trpc/init";

/** Outer context: the request's session → the inner { db, actor }. */
export async function createRequestContext(): Promise<Context> {
  const [{ db, kind }, session] = await Promise.all([getDatabase(), getServerSession(authOptions)]);
  const actor = await actorFromUserId((session as { userId?: string } | null)?.userId);
  return { db, dbKind: kind, actor };
}
