// next-auth configuration: username + password accounts and one-click guests, JWT sessions.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDatabase } from "@/server/db/client";
import type { Actor } from "@/server/services/actor";
import { createGuest, getActor, signIn } from "@/server/services/users";
import { authSecret } from "./secret";

export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

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
    async jwt({ token, user, trigger, session }) {
      if (user) token.sub = user.id;
      // After a guest signs up, the client calls update() so the token carries the new username.
      if (trigger === "update" && session && typeof (session as { username?: unknown }).username === "string") {
        token.name = (session as { username: string }).username;
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, userId: token.sub };
    },
  },
};

/** The actor behind a session, re-read from the database so a deleted user or changed role takes effect. */
export async function actorFromUserId(userId: string | undefined): Promise<Actor | null> {
  if (!userId) return null;
  const { db } = await getDatabase();
  return getActor(db, userId);
}
