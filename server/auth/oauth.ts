// OAuth sign-in (GitHub, Google), switched on by environment variables. Only the provider's account id is
// kept (OAuthAccount); no email, no picture, no profile. A first sign-in makes a player account with a
// username from the provider's login or name (plus a suffix when taken).
import { randomBytes } from "node:crypto";
import type { Provider } from "next-auth/providers/index";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import type { Db } from "@/server/db/client";

type Env = Record<string, string | undefined>;

/** The providers whose client id and secret are set: GITHUB_ID/GITHUB_SECRET, GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET. */
export function oauthProviders(env: Env = process.env): Provider[] {
  const out: Provider[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) out.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) out.push(GoogleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET }));
  return out;
}

/** Ids and names of the configured providers, for the sign-in page. */
export const oauthProviderList = (env: Env = process.env) => oauthProviders(env).map((p) => ({ id: p.id, name: p.name }));

export function usernameFrom(hint: string | null | undefined): string {
  const base = (hint ?? "")
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 24);
  return base.length >= 3 ? base : `player-${randomBytes(3).toString("hex")}`;
}

/** The user linked to this provider account, made on first sign-in. */
export async function userForOAuth(db: Db, provider: string, providerAccountId: string, nameHint: string | null | undefined) {
  const linked = await db.oAuthAccount.findUnique({ where: { provider_providerAccountId: { provider, providerAccountId } }, include: { user: true } });
  if (linked) return linked.user;
  const base = usernameFrom(nameHint);
  for (let i = 0; i < 6; i++) {
    const username = i === 0 ? base : `${base.slice(0, 24)}-${randomBytes(2).toString("hex")}`;
    try {
      return await db.user.create({ data: { username, oauthAccounts: { create: { provider, providerAccountId } } } });
    } catch (err) {
      if ((err as { code?: string }).code !== "P2002") throw err;
      const again = await db.oAuthAccount.findUnique({ where: { provider_providerAccountId: { provider, providerAccountId } }, include: { user: true } });
      if (again) return again.user; // a parallel first sign-in won
    }
  }
  throw new Error("could not choose a username");
}
