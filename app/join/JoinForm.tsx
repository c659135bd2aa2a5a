"use client";
// Students join a class (or come back to it) with the class code, a nickname and a PIN or picture password.
import { useMutation, useQuery } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { SecretInput } from "@/app/_components/classroom/PicturePassword";
import { useTRPC } from "@/app/_lib/trpc";
import { useAxonautSession } from "@/app/_lib/session";
import { normalizeCode } from "@/core/join-code";

export function JoinForm({ initialCode }: { initialCode: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const session = useAxonautSession();
  const [mode, setMode] = useState<"new" | "back">("new");
  const [code, setCode] = useState(initialCode);
  const [nickname, setNickname] = useState("");
  const [kind, setKind] = useState<"PIN" | "PICTURE">("PICTURE");
  const [pin, setPin] = useState("");
  const [pictures, setPictures] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const normalized = normalizeCode(code);
  const lookup = useQuery({ ...trpc.classroom.lookup.queryOptions({ code: normalized ?? "" }), enabled: normalized !== null, retry: false });
  const join = useMutation(trpc.classroom.join.mutationOptions());

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    if (!normalized) return setError("Type the 6-character class code your teacher shows, like ACD-F7Q.");
    const value = kind === "PIN" ? pin : pictures.join(",");
    if (kind === "PICTURE" && pictures.length !== 3) return setError("Pick 3 pictures.");
    setBusy(true);
    try {
      if (mode === "new") await join.mutateAsync({ code: normalized, nickname, secret: { kind, value } });
      const res = await signIn("student", { redirect: false, code: normalized, nickname, kind, secret: value });
      if (!res?.ok) {
        setError(
          res?.error === "locked"
            ? "Too many wrong tries. Wait 10 minutes, or ask your teacher to reset your password."
            : "That did not match. Check the class code, your nickname and your PIN or pictures.",
        );
        return;
      }
      router.push("/play");
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Joining failed. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card narrow">
      <h1>{mode === "new" ? "Join your class" : "Welcome back"}</h1>
      <div className="tabs" role="group" aria-label="Joining for the first time?">
        <button type="button" className={mode === "new" ? "" : "secondary"} aria-pressed={mode === "new"} onClick={() => setMode("new")}>
          I am new here
        </button>
        <button type="button" className={mode === "back" ? "" : "secondary"} aria-pressed={mode === "back"} onClick={() => setMode("back")}>
          I have joined before
        </button>
      </div>
      {session.status === "authenticated" && session.guest && mode === "new" && (
        <p className="note">You are playing as a guest. When you join, your points and cubes come with you.</p>
      )}
      <form className="stack" onSubmit={submit}>
        <label>
          Class code
          <input
            name="code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            maxLength={20}
            aria-describedby="code-status"
            className="code-input"
          />
        </label>
        <p id="code-status" className="muted small" aria-live="polite">
          {normalized === null
            ? "Your teacher shows the code (6 letters and digits) on the board."
            : lookup.isSuccess
              ? lookup.data.archived
                ? `${lookup.data.name} is closed: ask your teacher.`
                : `Class: ${lookup.data.name}`
              : lookup.isError
                ? "No class has this code. Check it with your teacher."
                : "Looking for the class…"}
        </p>
        <label>
          {mode === "new" ? "Choose a nickname" : "Your nickname"}
          <input name="nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} autoComplete="off" required minLength={2} maxLength={20} aria-describedby={mode === "new" ? "nick-help" : undefined} />
        </label>
        {mode === "new" && (
          <p id="nick-help" className="muted small">
            Use a nickname, not your real name. Only your class and your teacher see it.
          </p>
        )}
        <SecretInput kind={kind} onKind={setKind} pin={pin} onPin={setPin} pictures={pictures} onPictures={setPictures} newSecret={mode === "new"} />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "One moment…" : mode === "new" ? "Join and play" : "Sign in and play"}
        </button>
      </form>
    </div>
  );
}
