"use client";
// A competition's live leaderboard: polls every few seconds while the match runs (no page reload), and
// shows the frozen results afterwards. Classes by name only, never students.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { dateTime, displayCode, number } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc";

export const LIVE_REFRESH_MS = 3000;

function remaining(ms: number) {
  if (ms <= 0) return "0:00";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export function CompetitionBoard({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.competition.get.queryOptions({ id }),
    refetchInterval: (query) => (query.state.data?.status === "FINISHED" ? false : LIVE_REFRESH_MS),
    refetchIntervalInBackground: false,
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (q.isError) return <p role="alert" className="error">{q.error.message}</p>;
  if (!q.data) return <p className="muted">Loading…</p>;
  const c = q.data;
  // The server's clock decides; the countdown only ticks between polls.
  const skew = c.now.getTime() - q.dataUpdatedAt;
  const serverNow = now + skew;
  return (
    <div className="stack-lg">
      <p className="muted small">
        <Link href="/competitions">Competitions</Link> /
      </p>
      <h1>{c.name}</h1>
      <p>
        <span className={`badge ${c.status.toLowerCase()}`} data-testid="competition-status">
          {c.status === "LIVE" ? "Live now" : c.status === "SCHEDULED" ? "Coming up" : "Finished: final results"}
        </span>{" "}
        <span className="muted">
          {dateTime(c.startsAt)} to {dateTime(c.endsAt)}
        </span>
      </p>
      {c.status === "LIVE" && (
        <p className="countdown">
          Time left: <strong>{remaining(c.endsAt.getTime() - serverNow)}</strong>
        </p>
      )}
      {c.status === "SCHEDULED" && (
        <p className="countdown">
          Starts in <strong>{remaining(c.startsAt.getTime() - serverNow)}</strong>
        </p>
      )}
      {c.inviteCode && (
        <p className="note">
          Invite other classes: their teacher enters the code <strong className="code">{displayCode(c.inviteCode)}</strong> on their teacher page.
        </p>
      )}
      <section aria-labelledby="standings-h">
        <h2 id="standings-h">{c.status === "FINISHED" ? "Results" : "Standings"}</h2>
        <p className="muted small">Average points per active student (a student who traced at least one cube during the competition).</p>
        <table data-testid="standings">
          <caption className="sr-only">{c.name} standings</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Class</th>
              <th scope="col">Active students</th>
              <th scope="col">Points</th>
              <th scope="col">Average</th>
            </tr>
          </thead>
          <tbody>
            {c.standings.map((s) => (
              <tr key={s.classroomId} className={c.myClassroomIds.includes(s.classroomId) ? "you" : undefined}>
                <td>{s.rank === 1 && s.average > 0 ? <span className="leader">1 <span aria-hidden="true">★</span><span className="sr-only">, leading</span></span> : s.rank}</td>
                <th scope="row">{s.name}</th>
                <td>{s.activeStudents}</td>
                <td>{number(s.points)}</td>
                <td>
                  <strong>{number(s.average)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {c.status !== "FINISHED" && (
          <p className="muted small" aria-live="off">
            Updates by itself every {LIVE_REFRESH_MS / 1000} seconds. Last update {new Date(q.dataUpdatedAt).toLocaleTimeString("en-GB")}.
          </p>
        )}
      </section>
    </div>
  );
}
