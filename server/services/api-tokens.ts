// Per-researcher REST API tokens. A token is 32 random bytes (base64url, prefixed "axn_" so it is easy to
// spot in logs and secret scanners); only its sha256 is stored, so a leaked database leaks no usable token.
// sha256 (not Argon2) is right here: the token has 256 bits of entropy, so there is nothing to brute-force,
// and every API request must verify it quickly. The token is shown once, at creation.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db/client";
import type { Actor } from "./actor";
import { requireResearcher } from "./campaigns";
import { badInput, notFound } from "./errors";

export const TOKEN_PREFIX = "axn_";
export const MAX_TOKENS_PER_USER = 20;

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export async function createApiToken(db: Db, actorIn: Actor | null, input: { name: string }) {
  const actor = requireResearcher(actorIn);
  const live = await db.apiToken.count({ where: { userId: actor.userId, revokedAt: null } });
  if (live >= MAX_TOKENS_PER_USER) throw badInput(`at most ${MAX_TOKENS_PER_USER} active tokens: revoke one first`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await db.apiToken.create({ data: { userId: actor.userId, name: input.name, tokenHash: hashToken(token), prefix: token.slice(0, 10) } });
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, token };
}

export async function listApiTokens(db: Db, actorIn: Actor | null) {
  const actor = requireResearcher(actorIn);
  return db.apiToken.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the caller's own tokens (revoking twice is harmless). */
export async function revokeApiToken(db: Db, actorIn: Actor | null, id: string) {
  const actor = requireResearcher(actorIn);
  const t = await db.apiToken.findFirst({ where: { id, userId: actor.userId } });
  if (!t) throw notFound("token");
  if (!t.revokedAt) await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  return { id, revoked: true };
}

/**
 * The actor behind a token, or null when it is unknown or revoked. The owner's role is re-read, so a
 * researcher who lost the role loses API access with it.
 */
export async function verifyApiToken(db: Db, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt) return null;
  // Stamped at most once a minute, so a busy script does not write on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { userId: row.user.id, username: row.user.username, role: row.user.role, isGuest: row.user.isGuest };
}
