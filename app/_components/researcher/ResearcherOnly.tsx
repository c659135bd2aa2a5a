"use client";
import Link from "next/link";
import { useEffect, useRef, type ReactNode } from "react";
import { useAxonautSession } from "@/app/_lib/session";

/** Renders its children for researchers and admins (display only: the server checks every call). */
export function ResearcherOnly({ children }: { children: ReactNode }) {
  const s = useAxonautSession();
  const refreshed = useRef(false);
  const researcher = s.role === "RESEARCHER" || s.role === "ADMIN";
  // The session's role is fixed at sign-in: once per page, ask the server again (an admin may have given the
  // role since), so a new researcher need not sign out and in.
  useEffect(() => {
    if (s.status === "authenticated" && !researcher && !refreshed.current) {
      refreshed.current = true;
      void s.update();
    }
  }, [s, researcher]);
  if (s.status === "loading") return <p className="muted">Loading…</p>;
  if (!researcher)
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
