// next-auth configuration: username + password accounts and one-click guests, JWT sessions.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDatabase, type Db } from "@/server/db/client";
import type { Actor } from "@/server/services/actor";
import { createGuest, signIn } from "@/server/services/users";
import { studentSignIn } from "@/server/services/classrooms";
import { oauthProviders, userForOAuth } from "./oauth";
import { authSecret } from "./secret";

export const SESSION_MAX_AGE_S = 30 * 24 * 3600;
/** Students share school devices: their sessions end after a school day (they sign in again with code + PIN). */
export const STUDENT_SESSION_MAX_AGE_S = 12 * 3600;

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Username and password",
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        if (!credentials?.username || !credentials.password || credentials.password.length > 256) return null;
        const { db } = await getDatabase();
        const actor = await signIn(db, { username: credentials.username, password: credentials.password });
        return actor && { id: actor.userId, name: actor.username };
      },
    }),
    CredentialsProvider({
      // Students: the class's join code, their nickname and their PIN or picture password (no email).
      id: "student",
      name: "Class code",
      credentials: { code: { label: "Class code", type: "text" }, nickname: { label: "Nickname", type: "text" }, kind: { label: "PIN or PICTURE", type: "text" }, secret: { label: "PIN or pictures", type: "password" } },
      async authorize(credentials) {
        const c = credentials;
        if (!c?.code || !c.nickname || !c.secret || (c.kind !== "PIN" && c.kind !== "PICTURE") || c.code.length > 20 || c.nickname.length > 40 || c.secret.length > 100) return null;
        const { db } = await getDatabase();
        const who = await studentSignIn(db, { code: c.code, nickname: c.nickname, secret: { kind: c.kind, value: c.secret } });
        if (who?.locked) throw new Error("locked");
        return who && { id: who.userId, name: who.nickname };
      },
    }),
    ...oauthProviders(),
    CredentialsProvider({
      id: "guest",
      name: "Guest",
      credentials: {},
      async authorize() {
        const { db } = await getDatabase();
        const actor = await createGuest(db);
        return { id: actor.userId, name: actor.username };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user, account, profile, trigger }) {
      // No email or picture in the session, whichever provider signed in.
      delete token.email;
      delete token.picture;
      if (account?.type === "oauth") {
        const { db } = await getDatabase();
        const p = profile as { login?: string; name?: string } | undefined;
        const u = await userForOAuth(db, account.provider, account.providerAccountId, p?.login ?? p?.name);
        token.sub = u.id;
        token.name = u.username;
      } else if (user) token.sub = user.id;
      // At sign-in, and when the client calls update() (a guest signed up or joined a class), the role and
      // name come from the database, never from the client.
      if (user || trigger === "update") {
        const actor = await actorFromUserId(token.sub);
        if (actor) {
          token.role = actor.role;
          token.guest = actor.isGuest;
          const { db } = await getDatabase();
          const member = await db.classMember.findUnique({ where: { userId: actor.userId }, select: { nickname: true } });
          token.student = member !== null;
          token.name = member?.nickname ?? actor.username;
          if (member && typeof token.studentUntil !== "number") token.studentUntil = Math.floor(Date.now() / 1000) + STUDENT_SESSION_MAX_AGE_S;
        }
      }
      return token;
    },
    async session({ session, token }) {
      // A student's session ends after STUDENT_SESSION_MAX_AGE_S even while the cookie keeps rolling.
      if (sessionExpired(token)) return { expires: session.expires };
      const user = session.user ? { name: session.user.name } : undefined;
      return { ...session, user, userId: token.sub, role: token.role ?? "PLAYER", student: Boolean(token.student), guest: Boolean(token.guest) };
    },
  },
};

export function sessionExpired(token: Record<string, unknown>, nowS = Date.now() / 1000): boolean {
  return typeof token.studentUntil === "number" && nowS > token.studentUntil;
}

/**
 * The actor behind a session, re-read from the database on every request so a deleted user or changed role
 * takes effect at once, and a student whom the teacher removed from the class is signed out.
 */
export async function actorFromUserId(userId: string | undefined, db?: Db): Promise<Actor | null> {
  if (!userId) return null;
  db ??= (await getDatabase()).db;
  const u = await db.user.findUnique({ where: { id: userId }, select: { id: true, username: true, role: true, isGuest: true, isStudent: true, membership: { select: { id: true } } } });
  if (!u || (u.isStudent && !u.membership)) return null;
  return { userId: u.id, username: u.username, role: u.role, isGuest: u.isGuest };
}
