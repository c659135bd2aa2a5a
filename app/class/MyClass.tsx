"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ClassBoard } from "@/app/_components/classroom/ClassBoard";
import { useAxonautSession } from "@/app/_lib/session";
import { useTRPC } from "@/app/_lib/trpc";

/** A student's class: its leaderboard and its competitions. */
export function MyClass() {
  const trpc = useTRPC();
  const s = useAxonautSession();
  const mine = useQuery({ ...trpc.classroom.mine.queryOptions(), enabled: s.status === "authenticated" });
  const comps = useQuery(trpc.competition.list.queryOptions());
  if (s.status === "loading" || (s.status === "authenticated" && mine.isLoading)) return <p className="muted">Loading…</p>;
  if (!mine.data)
    return (
      <div className="card narrow">
        <h1>My class</h1>
        <p>You are not in a class yet.</p>
        <div className="actions">
          <Link className="button" href="/join">
            Join a class
          </Link>
          {s.isTeacher && (
            <Link className="button secondary" href="/teacher">
              Your classes (teacher)
            </Link>
          )}
        </div>
      </div>
    );
  const myComps = comps.data?.filter((c) => c.mine) ?? [];
  return (
    <div className="stack-lg">
      <ClassBoard classroomId={mine.data.classroomId} />
      <section aria-labelledby="my-comps-h">
        <h2 id="my-comps-h">Competitions of your class</h2>
        {myComps.length === 0 ? (
          <p className="muted">None yet. Your teacher can start one.</p>
        ) : (
          <ul className="comp-list">
            {myComps.map((c) => (
              <li key={c.id}>
                <Link href={`/competitions/${c.id}`}>{c.name}</Link> <span className={`badge ${c.status.toLowerCase()}`}>{c.status === "LIVE" ? "Live now" : c.status === "SCHEDULED" ? "Coming up" : "Finished"}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Link className="button" href="/play">
        Play a cube
      </Link>
    </div>
  );
}
