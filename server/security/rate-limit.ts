// Rate limits shared by every app instance: fixed-window counters in the database (RateLimit table), bumped
// by one atomic upsert per check, so two instances behind a load balancer count the same hits.
// Why fixed windows: one row and one statement per check; the worst case (2x the limit across a window
// edge) is acceptable for abuse control, and nothing has to be cleaned up per hit.
import { z } from "zod";
import type { Db } from "@/server/db/client";

export type Rule = { name: string; limit: number; windowS: number };

/**
 * The limits. IP rules are generous because a classroom (or a school) shares one address behind NAT;
 * account rules are tight where a password can be guessed.
 */
export const RULES = {
  signInIp: { name: "signin-ip", limit: 60, windowS: 600 },
  signInAccount: { name: "signin-acct", limit: 10, windowS: 900 },
  studentSignInIp: { name: "student-ip", limit: 300, windowS: 600 },
  studentSignInAccount: { name: "student-acct", limit: 10, windowS: 900 },
  guestIp: { name: "guest-ip", limit: 120, windowS: 600 },
  signUpIp: { name: "signup-ip", limit: 20, windowS: 3600 },
  joinIp: { name: "join-ip", limit: 60, windowS: 600 },
  submitAccount: { name: "submit-acct", limit: 30, windowS: 60 },
  submitIp: { name: "submit-ip", limit: 1200, windowS: 60 },
} as const satisfies Record<string, Rule>;

export class RateLimitedError extends Error {
  constructor(
    readonly rule: string,
    readonly retryAfterS: number,
  ) {
    super(`Too many attempts: try again in ${retryAfterS} s.`);
    this.name = "RateLimitedError";
  }
}

const scaleSchema = z.coerce.number().positive("AXONAUT_RATE_LIMIT_SCALE must be a positive number");

/** AXONAUT_RATE_LIMIT_SCALE multiplies every limit (load tests raise it; a strict deployment lowers it). */
export function limitScale(env: Record<string, string | undefined> = process.env): number {
  const raw = env.AXONAUT_RATE_LIMIT_SCALE;
  if (raw === undefined || raw === "") return 1;
  const parsed = scaleSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
  return parsed.data;
}

export type Check = { rule: Rule; subject: string };

/**
 * Counts one hit against each check and throws RateLimitedError (with the longest wait) when any is over its
 * limit. Every hit counts, refused ones too, so hammering does not reopen the door.
 */
export async function enforce(db: Db, checks: Check[], now = new Date(), scale = limitScale()): Promise<void> {
  let wait = 0;
  let over: string | null = null;
  for (const { rule, subject } of checks) {
    const { count, retryAfterS } = await hit(db, rule, subject, now);
    if (count > Math.max(1, Math.floor(rule.limit * scale)) && retryAfterS >= wait) {
      wait = retryAfterS;
      over = rule.name;
    }
  }
  if (over) throw new RateLimitedError(over, wait);
  if (Math.random() < 0.001) void sweep(db, now).catch(() => {});
}

/** One atomic upsert: a new window starts at 1, the current one goes up by 1. Returns the count after the hit. */
export async function hit(db: Db, rule: Rule, subject: string, now = new Date()): Promise<{ count: number; retryAfterS: number }> {
  const windowMs = rule.windowS * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const key = `${rule.name}:${subject}`.slice(0, 300);
  // GREATEST: an instance whose clock lags never moves a window back.
  const rows = await db.$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${start}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" >= EXCLUDED."windowStart" THEN "RateLimit"."count" + 1 ELSE 1 END,
      "windowStart" = GREATEST("RateLimit"."windowStart", EXCLUDED."windowStart")
    RETURNING "count", "windowStart"`;
  const row = rows[0]!;
  const ends = new Date(row.windowStart).getTime() + windowMs;
  return { count: Number(row.count), retryAfterS: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
}

/** Drops counters whose window ended more than a day ago (the longest window is an hour). */
export async function sweep(db: Db, now = new Date()): Promise<number> {
  return db.rateLimit.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - 24 * 3600_000) } } }).then((r) => r.count);
}
