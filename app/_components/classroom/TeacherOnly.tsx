"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { useAxonautSession } from "@/app/_lib/session";

/** Renders its children for teachers and admins; tells everyone else how to become a teacher. */
export function TeacherOnly({ children }: { children: ReactNode }) {
  const s = useAxonautSession();
  if (s.status === "loading") return <p className="muted">Loading…</p>;
  if (!s.isTeacher)
    return (
      <div className="card narrow">
        <h1>For teachers</h1>
        <p>
          Teachers create classes, follow their students and run competitions between classes.{" "}
          {s.status === "authenticated" && !s.guest ? "This account is not a teacher account." : ""}
        </p>
        <div className="actions">
          <Link className="button" href="/signup?teacher=1">
            Sign up as a teacher
          </Link>
          <Link className="button secondary" href="/signin">
            Sign in
          </Link>
        </div>
      </div>
    );
  return <>{children}</>;
}
