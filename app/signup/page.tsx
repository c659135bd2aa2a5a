"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn, useSession } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useTRPC } from "@/app/_lib/trpc";

export default function SignUpPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const { data: session, update } = useSession();
  const isGuest = session?.user?.name?.startsWith("guest-") ?? false;
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const [asTeacher, setAsTeacher] = useState(false);
  useEffect(() => setAsTeacher(new URLSearchParams(window.location.search).get("teacher") === "1"), []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const form = new FormData(e.currentTarget);
    const username = String(form.get("username"));
    const password = String(form.get("password"));
    const teacher = form.get("teacher") === "on";
    if (password !== String(form.get("confirm"))) return setError("The two passwords differ.");
    try {
      const res = await signUp.mutateAsync({ username, password, teacher });
      if (res.upgradedGuest) await update({ username: res.username });
      else {
        const r = await signIn("credentials", { redirect: false, username, password });
        if (!r?.ok) return setError("Account created, but signing in failed. Try signing in.");
      }
      router.push(teacher ? "/teacher" : "/play");
    } catch (err) {
      setError(err instanceof Error ? err.message : "Sign-up failed.");
    }
  }
  return (
    <div className="card" style={{ maxWidth: 420 }}>
      <h1>{isGuest ? "Keep your progress" : "Create an account"}</h1>
      {isGuest && <p className="muted">Your guest points and cubes move to the new account.</p>}
      <form className="stack" onSubmit={submit}>
        <label>Username<input name="username" autoComplete="username" required minLength={3} maxLength={32} /></label>
        <label>
          Password (at least 10 characters)
          <input name="password" type="password" autoComplete="new-password" required minLength={10} />
        </label>
        <label>Repeat password<input name="confirm" type="password" autoComplete="new-password" required /></label>
        <label className="inline"><input name="teacher" type="checkbox" checked={asTeacher} onChange={(e) => setAsTeacher(e.target.checked)} /> I am a teacher: I want to create classes</label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={signUp.isPending}>{signUp.isPending ? "Creating…" : "Sign up"}</button>
      </form>
    </div>
  );
}
