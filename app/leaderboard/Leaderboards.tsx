"use client";
// Public leaderboards: players (not students) and classes by name, this week or all time. A student sees
// a link to their class's own board, where nicknames are.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { PeriodTabs } from "@/app/_components/classroom/PeriodTabs";
import { number } from "@/app/_lib/format";
import { useAxonautSession } from "@/app/_lib/session";
import { useTRPC } from "@/app/_lib/trpc";

export function Leaderboards() {
  const trpc = useTRPC();
  const s = useAxonautSession();
  const [period, setPeriod] = useState<"ALL" | "WEEK">("WEEK");
  const players = useQuery({ ...trpc.leaderboard.players.queryOptions({ period, limit: 50 }), refetchInterval: 30_000 });
  const classes = useQuery({ ...trpc.leaderboard.classes.queryOptions({ period, limit: 50 }), refetchInterval: 30_000 });
  return (
    <div className="stack-lg">
      <h1>Leaderboards</h1>
      <PeriodTabs period={period} onChange={setPeriod} />
      {s.student && (
        <p className="note">
          Students are ranked in their class. <Link href="/class">See your class leaderboard</Link>.
        </p>
      )}
      <div className="grid">
        <section aria-labelledby="classes-board-h">
          <h2 id="classes-board-h">Classes</h2>
          <p className="muted small">Average points per student who traced a cube, so class size does not decide.</p>
          {!classes.data ? (
            <p className="muted">Loading…</p>
          ) : classes.data.entries.length === 0 ? (
            <p className="muted">No class has traced a cube {period === "WEEK" ? "this week" : "yet"}.</p>
          ) : (
            <table data-testid="classes-board">
              <caption className="sr-only">Classes, {period === "WEEK" ? "this week" : "all time"}</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Class</th>
                  <th scope="col">Active students</th>
                  <th scope="col">Average points</th>
                </tr>
              </thead>
              <tbody>
                {classes.data.entries.map((e) => (
                  <tr key={e.classroomId}>
                    <td>{e.rank}</td>
                    <th scope="row">{e.name}</th>
                    <td>{e.activeStudents}</td>
                    <td>{number(e.average)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="players-board-h">
          <h2 id="players-board-h">Players</h2>
          {players.data?.me && (
            <p className="note" data-testid="my-rank">
              You are number {players.data.me.rank} with {number(players.data.me.points)} points.
            </p>
          )}
          {!players.data ? (
            <p className="muted">Loading…</p>
          ) : players.data.entries.length === 0 ? (
            <p className="muted">Nobody has points {period === "WEEK" ? "this week" : "yet"}. Be the first!</p>
          ) : (
            <table data-testid="players-board">
              <caption className="sr-only">Players, {period === "WEEK" ? "this week" : "all time"}</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Player</th>
                  <th scope="col">Level</th>
                  <th scope="col">Points</th>
                </tr>
              </thead>
              <tbody>
                {players.data.entries.map((e) => (
                  <tr key={`${e.rank}-${e.username}`} className={e.you ? "you" : undefined}>
                    <td>{e.rank}</td>
                    <th scope="row">
                      {e.username}
                      {e.you && <span className="you-tag"> (you)</span>}
                    </th>
                    <td>{e.level}</td>
                    <td>{number(e.points)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <p>
        <Link href="/competitions">Competitions between classes</Link>
      </p>
    </div>
  );
}
