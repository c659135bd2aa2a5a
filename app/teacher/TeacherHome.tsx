"use client";
// The teacher's home: their classes, a new class, and competitions between classes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { TeacherOnly } from "@/app/_components/classroom/TeacherOnly";
import { dateTime, displayCode, number, toLocalInput } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc";

export function TeacherHome() {
  return (
    <TeacherOnly>
      <h1>Your classes</h1>
      <Classes />
      <Competitions />
    </TeacherOnly>
  );
}

function Classes() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const classes = useQuery(trpc.classroom.list.queryOptions());
  const create = useMutation(trpc.classroom.create.mutationOptions());
  const [name, setName] = useState("");
  async function submit(e: FormEvent) {
    e.preventDefault();
    const c = await create.mutateAsync({ name });
    await qc.invalidateQueries({ queryKey: trpc.classroom.list.queryKey() });
    router.push(`/teacher/classes/${c.id}`);
  }
  const active = classes.data?.filter((c) => !c.archived) ?? [];
  const archived = classes.data?.filter((c) => c.archived) ?? [];
  return (
    <section aria-labelledby="classes-h" className="stack-lg">
      <h2 id="classes-h" className="sr-only">
        Classes
      </h2>
      {classes.isLoading ? (
        <p className="muted">Loading your classes…</p>
      ) : active.length === 0 ? (
        <p className="muted">No classes yet. Create one below: you get a code that your students type to join.</p>
      ) : (
        <ul className="class-list">
          {active.map((c) => (
            <li key={c.id} className="card">
              <h3>
                <Link href={`/teacher/classes/${c.id}`}>{c.name}</Link>
              </h3>
              <p>
                Join code <strong className="code">{displayCode(c.joinCode)}</strong>
              </p>
              <p className="muted">
                {c.students} {c.students === 1 ? "student" : "students"} · {number(c.points)} points · {c.activeStudents} active
              </p>
            </li>
          ))}
        </ul>
      )}
      <form className="card inline-form" onSubmit={submit} aria-labelledby="new-class-h">
        <h2 id="new-class-h">New class</h2>
        <label>
          Class name
          <input name="class-name" value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={60} placeholder="e.g. 7B Science" />
        </label>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create class"}
        </button>
        {create.isError && (
          <p role="alert" className="error">
            {create.error.message}
          </p>
        )}
      </form>
      {archived.length > 0 && (
        <details>
          <summary>Archived classes ({archived.length})</summary>
          <ul>
            {archived.map((c) => (
              <li key={c.id}>
                <Link href={`/teacher/classes/${c.id}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function Competitions() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const classes = useQuery(trpc.classroom.list.queryOptions());
  const list = useQuery(trpc.competition.list.queryOptions());
  const create = useMutation(trpc.competition.create.mutationOptions());
  const enter = useMutation(trpc.competition.enter.mutationOptions());
  const now = new Date();
  const [name, setName] = useState("");
  const [startsAt, setStartsAt] = useState(() => toLocalInput(now));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(new Date(now.getTime() + 45 * 60_000)));
  const [picked, setPicked] = useState<string[]>([]);
  const [invite, setInvite] = useState("");
  const [enterClass, setEnterClass] = useState("");
  const [entered, setEntered] = useState<string | null>(null);
  const active = classes.data?.filter((c) => !c.archived) ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const c = await create.mutateAsync({ name, startsAt: new Date(startsAt), endsAt: new Date(endsAt), classroomIds: picked });
    await qc.invalidateQueries({ queryKey: trpc.competition.list.queryKey() });
    router.push(`/competitions/${c.id}`);
  }
  async function submitEnter(e: FormEvent) {
    e.preventDefault();
    const r = await enter.mutateAsync({ inviteCode: invite, classroomId: enterClass || active[0]?.id || "" });
    setEntered(r.name);
    await qc.invalidateQueries({ queryKey: trpc.competition.list.queryKey() });
  }
  const mine = list.data?.filter((c) => c.mine) ?? [];

  return (
    <section aria-labelledby="comp-h" className="stack-lg">
      <h2 id="comp-h">Competitions</h2>
      {mine.length > 0 && (
        <ul className="comp-list">
          {mine.map((c) => (
            <li key={c.id}>
              <Link href={`/competitions/${c.id}`}>{c.name}</Link> <span className={`badge ${c.status.toLowerCase()}`}>{statusLabel(c.status)}</span>{" "}
              <span className="muted">
                {dateTime(c.startsAt)} to {dateTime(c.endsAt)} · {c.classes} classes
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="grid">
        <form className="card stack" onSubmit={submit} aria-labelledby="new-comp-h">
          <h3 id="new-comp-h">Schedule a competition</h3>
          <p className="muted small">Classes are ranked by average points per active student, so a small class can beat a big one.</p>
          <label>
            Name
            <input name="competition-name" value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={80} placeholder="e.g. Friday neuron cup" />
          </label>
          <label>
            Starts
            <input type="datetime-local" name="starts" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} required />
          </label>
          <label>
            Ends
            <input type="datetime-local" name="ends" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required />
          </label>
          <fieldset>
            <legend>Your classes in it</legend>
            {active.length === 0 ? (
              <p className="muted small">Create a class first.</p>
            ) : (
              active.map((c) => (
                <label key={c.id} className="inline">
                  <input
                    type="checkbox"
                    checked={picked.includes(c.id)}
                    onChange={(e) => setPicked(e.target.checked ? [...picked, c.id] : picked.filter((x) => x !== c.id))}
                  />{" "}
                  {c.name}
                </label>
              ))
            )}
          </fieldset>
          <button type="submit" disabled={create.isPending || picked.length === 0}>
            {create.isPending ? "Scheduling…" : "Schedule competition"}
          </button>
          {create.isError && (
            <p role="alert" className="error">
              {create.error.message}
            </p>
          )}
        </form>
        <form className="card stack" onSubmit={submitEnter} aria-labelledby="enter-comp-h">
          <h3 id="enter-comp-h">Enter another teacher&apos;s competition</h3>
          <p className="muted small">The teacher who scheduled it gives you an invite code (8 characters).</p>
          <label>
            Invite code
            <input name="invite" value={invite} onChange={(e) => setInvite(e.target.value)} required maxLength={20} autoComplete="off" className="code-input" />
          </label>
          <label>
            Class
            <select name="enter-class" value={enterClass || active[0]?.id || ""} onChange={(e) => setEnterClass(e.target.value)} required>
              {active.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={enter.isPending || active.length === 0}>
            Enter competition
          </button>
          {enter.isError && (
            <p role="alert" className="error">
              {enter.error.message}
            </p>
          )}
          {entered && <p role="status">Your class is in “{entered}”.</p>}
        </form>
      </div>
    </section>
  );
}

export const statusLabel = (s: "SCHEDULED" | "LIVE" | "FINISHED") => (s === "LIVE" ? "Live now" : s === "SCHEDULED" ? "Coming up" : "Finished");
