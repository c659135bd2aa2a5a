"use client";
import { signIn, useSession } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

/** Plays at once: signs in as a fresh guest (or goes straight on when already signed in). */
export function PlayButton({ label = "Play now" }: { label?: string }) {
  const { status } = useSession();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function play() {
    if (status === "authenticated") return router.push("/play");
    setBusy(true);
    const res = await signIn("guest", { redirect: false });
    setBusy(false);
    if (res?.ok) router.push("/play");
    else setError("Could not start a guest session. Try again.");
  }
  return (
    <>
      <button type="button" onClick={play} disabled={busy || status === "loading"}>
        {busy ? "Starting…" : status === "authenticated" ? label : `${label} as a guest`}
      </button>
      {error && <p role="alert" className="error">{error}</p>}
    </>
  );
}
