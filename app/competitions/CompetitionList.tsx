"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { dateTime } from "@/app/_lib/format";
import { useAxonautSession } from "@/app/_lib/session";
import { useTRPC } from "@/app/_lib/trpc";

export function CompetitionList() {
  const trpc = useTRPC();
  const s = useAxonautSession();
  const list = useQuery({ ...trpc.competition.list.queryOptions(), refetchInterval: 30_000 });
  return (
    <div className="stack-lg">
      <h1>Competitions</h1>
      <p className="muted">Classes race each other for a lesson or a week. They are ranked by average points per student who played.</p>
      {s.isTeacher && (
        <p>
          <Link href="/teacher">Schedule a competition</Link> from your teacher page.
        </p>
      )}
      {!list.data ? (
        <p className="muted">Loading…</p>
      ) : list.data.length === 0 ? (
        <p className="muted">No competitions right now.</p>
      ) : (
        <table>
          <caption className="sr-only">Competitions</caption>
          <thead>
            <tr>
              <th scope="col">Competition</th>
              <th scope="col">Status</th>
              <th scope="col">Starts</th>
              <th scope="col">Ends</th>
              <th scope="col">Classes</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link href={`/competitions/${c.id}`}>{c.name}</Link>
                  {c.mine && <span className="you-tag"> (your class)</span>}
                </th>
                <td>
                  <span className={`badge ${c.status.toLowerCase()}`}>{c.status === "LIVE" ? "Live now" : c.status === "SCHEDULED" ? "Coming up" : "Finished"}</span>
                </td>
                <td>{dateTime(c.startsAt)}</td>
                <td>{dateTime(c.endsAt)}</td>
                <td>{c.classes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
