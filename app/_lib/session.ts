"use client";
import { useSession } from "next-auth/react";

export type Role = "PLAYER" | "TEACHER" | "RESEARCHER" | "REVIEWER" | "EXPERT" | "ADMIN";

/** The session with what server/auth/options.ts adds: role, student, guest (display only; the server checks). */
export function useAxonautSession() {
  const { data, status, update } = useSession();
  const s = data as (typeof data & { role?: Role; student?: boolean; guest?: boolean; userId?: string }) | null;
  const role: Role = s?.role ?? "PLAYER";
  return {
    status,
    update,
    name: s?.user?.name ?? null,
    role,
    student: Boolean(s?.student),
    guest: Boolean(s?.guest) || (s?.user?.name?.startsWith("guest-") ?? false),
    isTeacher: role === "TEACHER" || role === "ADMIN",
    isAdmin: role === "ADMIN",
  };
}
