// /researcher/import: researchers and admins bring their own volume. The role is checked here on the
// server (and again by every procedure and the upload route).
import type { Metadata } from "next";
import { getServerSession } from "next-auth";
import { actorFromUserId, authOptions } from "@/server/auth/options";
import { ensureJobRuntime } from "@/server/jobs/server-runtime";
import { ImportClient } from "./ImportClient";

export const metadata: Metadata = { title: "Import a volume · Axonaut" };
export const dynamic = "force-dynamic";

export default async function ImportPage() {
  const session = (await getServerSession(authOptions)) as { userId?: string } | null;
  const actor = await actorFromUserId(session?.userId);
  if (!actor || (actor.role !== "RESEARCHER" && actor.role !== "ADMIN")) {
    return (
      <>
        <h1>Import a volume</h1>
        <p role="alert" className="error">
          Only researchers and admins can import volumes. {actor ? "Ask an admin for the researcher role." : "Sign in first."}
        </p>
      </>
    );
  }
  await ensureJobRuntime(); // this instance works import jobs from now on
  return <ImportClient isAdmin={actor.role === "ADMIN"} />;
}
