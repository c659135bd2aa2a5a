"use client";
import Link from "next/link";
import { signOut, useSession } from "next-auth/react";

export function NavBar() {
  const { data: session, status } = useSession();
  const name = session?.user?.name;
  return (
    <header className="nav">
      <Link href="/" className="brand" aria-label="Axonaut home">
        <span aria-hidden="true">◉</span> Axonaut
      </Link>
      <nav aria-label="Main">
        <Link href="/play">Play</Link>
        <Link href="/neurons">Neurons</Link>
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
