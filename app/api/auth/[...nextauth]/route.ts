import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/options";
import { getDatabase } from "@/server/db/client";
import { limitSignIn } from "@/server/security/auth-limits";

export const dynamic = "force-dynamic";

const nextAuth = NextAuth(authOptions);

// Sign-in attempts are rate-limited (server/security/auth-limits.ts) before next-auth checks a password.
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  const refused = await limitSignIn(req, async () => (await getDatabase()).db);
  return refused ?? nextAuth(req, ctx);
}

export { handler as GET, handler as POST };
