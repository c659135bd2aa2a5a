"use client";
// A class's own leaderboard (nicknames): for its students, its teacher and admins.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { number } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc";
import { PeriodTabs } from "./PeriodTabs";

export function ClassBoard({ classroomId, heading = 1 }: { classroomId: string; heading?: 1 | 2 }) {
  const trpc = useTRPC();
  const [period, setPeriod] = useState<"ALL" | "WEEK">("WEEK");
  const board = useQuery({ ...trpc.leaderboard.class.queryOptions({ classroomId, period }), refetchInterval: 10_000 });
  const H = heading === 1 ? "h1" : "h2";
  if (board.isError) return <p role="alert" className="error">{board.error.message}</p>;
  return (
    <section aria-labelledby="class-board-h" className="stack">
      <H id="class-board-h">{board.data ? `${board.data.name}: class leaderboard` : "Class leaderboard"}</H>
      <p className="muted small">Only your class and your teacher see these nicknames.</p>
      <PeriodTabs period={period} onChange={setPeriod} />
      {!board.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <table data-testid="class-board">
          <caption className="sr-only">
            {board.data.name}, {period === "WEEK" ? "this week" : "all time"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Nickname</th>
              <th scope="col">Cubes</th>
              <th scope="col">Points</th>
            </tr>
          </thead>
          <tbody>
            {board.data.entries.map((e) => (
              <tr key={e.nickname} className={e.you ? "you" : undefined}>
                <td>{e.rank}</td>
                <th scope="row">
                  {e.nickname}
                  {e.you && <span className="you-tag"> (you)</span>}
                </th>
                <td>{e.cubes}</td>
                <td>{number(e.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
