// Who is calling a REST endpoint: `Authorization: Bearer <token>` (a researcher's API token), else the
// browser session. A malformed or revoked token is an error, never a silent fall-back to anonymous.
import { getServerSession } from "next-auth";
import type { Db } from "@/server/db/client";
import type { Actor } from "@/server/services/actor";
import { verifyApiToken } from "@/server/services/api-tokens";
import { DomainError } from "@/server/services/errors";

export type ApiCaller = { actor: Actor | null; via: "token" | "session" | "none" };

async function sessionActor(): Promise<Actor | null> {
  // Outside a Next request (tests calling handlers directly) there is no session to read.
  try {
    const { authOptions, actorFromUserId } = await import("@/server/auth/options");
    const session = (await getServerSession(authOptions)) as { userId?: string } | null;
    return await actorFromUserId(session?.userId);
  } catch {
    return null;
  }
}

export async function apiCaller(db: Db, req: Request, session: () => Promise<Actor | null> = sessionActor): Promise<ApiCaller> {
  const auth = req.headers.get("authorization");
  if (auth !== null) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (!m) throw new DomainError("UNAUTHORIZED", "Authorization header must be 'Bearer <token>'");
    const actor = await verifyApiToken(db, m[1]!);
    if (!actor) throw new DomainError("UNAUTHORIZED", "API token unknown or revoked");
    return { actor, via: "token" };
  }
  // Without a cookie there is no session to look up (scripts, tests calling handlers directly).
  const actor = req.headers.get("cookie") ? await session() : null;
  return { actor, via: actor ? "session" : "none" };
}
