"use client";
import Link from "next/link";
import { signOut, useSession } from "next-auth/react";
import { useAxonautSession } from "@/app/_lib/session";

export function NavBar() {
  const { data: session, status } = useSession();
  const name = session?.user?.name;
  const me = useAxonautSession();
  return (
    <header className="nav">
      <Link href="/" className="brand" aria-label="Axonaut home">
        <span aria-hidden="true">◉</span> Axonaut
      </Link>
      <nav aria-label="Main">
        <Link href="/play">Play</Link>
        <Link href="/neurons">Neurons</Link>
        <Link href="/leaderboard">Leaderboard</Link>
        <Link href="/competitions">Competitions</Link>
        {me.student ? <Link href="/class">My class</Link> : !me.isTeacher && (status !== "authenticated" || me.guest) ? <Link href="/join">Join a class</Link> : null}
        {me.isTeacher && <Link href="/teacher">Teacher</Link>}
        {(me.role === "RESEARCHER" || me.isAdmin) && <Link href="/researcher">Research</Link>}
        {status === "authenticated" && <Link href="/profile">Profile</Link>}
      </nav>
      <div className="nav-user">
        {status === "authenticated" ? (
          <>
            <span data-testid="nav-username">{name}</span>
            {name?.startsWith("guest-") && <Link href="/signup">Save progress</Link>}
            <button type="button" className="link" onClick={() => signOut({ callbackUrl: "/" })}>
              Sign out
            </button>
          </>
        ) : status === "unauthenticated" ? (
          <>
            <Link href="/signin">Sign in</Link>
            <Link href="/signup">Sign up</Link>
          </>
        ) : null}
      </div>
    </header>
  );
}
