"use client";
import Link from "next/link";
import { getProviders, signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";

export default function SignInPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // GitHub / Google buttons when the server has them configured (README "Configuration").
  const [oauth, setOauth] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    void getProviders().then((p) => setOauth(Object.values(p ?? {}).filter((x) => x.type === "oauth")));
  }, []);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    const res = await signIn("credentials", { redirect: false, username: String(form.get("username")), password: String(form.get("password")) });
    setBusy(false);
    if (res?.ok) router.push("/play");
    else setError("Wrong username or password.");
  }
  return (
    <div className="card" style={{ maxWidth: 420 }}>
      <h1>Sign in</h1>
      <form className="stack" onSubmit={submit}>
        <label>Username<input name="username" autoComplete="username" required /></label>
        <label>Password<input name="password" type="password" autoComplete="current-password" required /></label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
      </form>
      {oauth.length > 0 && (
        <div className="actions" style={{ marginTop: 12 }}>
          {oauth.map((p) => (
            <button key={p.id} type="button" className="secondary" onClick={() => signIn(p.id, { callbackUrl: "/play" })}>
              Sign in with {p.name}
            </button>
          ))}
        </div>
      )}
      <p className="muted">No account? <Link href="/signup">Sign up</Link>.</p>
      <p className="muted">Student in a class? <Link href="/join">Sign in with your class code</Link>.</p>
    </div>
  );
}
