"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { useAxonautSession } from "@/app/_lib/session";

/** Renders its children for researchers and admins (display only: the server checks every call). */
export function ResearcherOnly({ children }: { children: ReactNode }) {
  const s = useAxonautSession();
  if (s.status === "loading") return <p className="muted">Loading…</p>;
  if (s.role !== "RESEARCHER" && s.role !== "ADMIN")
    return (
      <div className="card narrow">
        <h1>For researchers</h1>
        <p>
          Researchers bring volumes, run tracing campaigns and download the crowd&apos;s reconstructions. An admin gives the researcher role
          (<code>npm run user:role -- &lt;username&gt; RESEARCHER</code>).{" "}
          {s.status === "authenticated" ? "This account is not a researcher account." : ""}
        </p>
        {s.status !== "authenticated" && (
          <div className="actions">
            <Link className="button" href="/signin">Sign in</Link>
          </div>
        )}
      </div>
    );
  return <>{children}</>;
}
