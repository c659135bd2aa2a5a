"use client";
// The player's profile: level, streaks, achievements, an accuracy chart and the history of their cubes.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LineChart } from "@/app/_components/classroom/LineChart";
import { dateTime, number, percent } from "@/app/_lib/format";
import { useAxonautSession } from "@/app/_lib/session";
import { useTRPC } from "@/app/_lib/trpc";

export function Profile() {
  const trpc = useTRPC();
  const s = useAxonautSession();
  const p = useQuery({ ...trpc.profile.get.queryOptions(), enabled: s.status === "authenticated" });
  if (s.status === "unauthenticated")
    return (
      <div className="card narrow">
        <h1>Your profile</h1>
        <p>Play a cube first: your level, achievements and history appear here.</p>
        <Link className="button" href="/play">
          Play
        </Link>
      </div>
    );
  if (p.isError) return <p role="alert" className="error">{p.error.message}</p>;
  if (!p.data) return <p className="muted">Loading…</p>;
  const d = p.data;
  const chrono = [...d.history].reverse().filter((h) => h.accuracy !== null);
  return (
    <div className="stack-lg">
      <div className="dash-head">
        <div>
          <h1>{d.displayName}</h1>
          <p className="level">
            Level <strong data-testid="level">{d.level.level}</strong>: {d.level.name}
          </p>
          <label className="level-bar">
            {number(d.points)} of {number(d.level.next)} points to level {d.level.level + 1}
            <progress value={d.points - d.level.floor} max={d.level.next - d.level.floor} />
          </label>
          {d.classroom && (
            <p>
              Class: <Link href="/class">{d.classroom.name}</Link>
            </p>
          )}
          {d.isGuest && (
            <p className="note">
              You are playing as a guest. <Link href="/signup">Save your progress</Link> or <Link href="/join">join your class</Link>.
            </p>
          )}
        </div>
      </div>
      <dl className="stats">
        <div>
          <dt>Points</dt>
          <dd data-testid="profile-points">{number(d.points)}</dd>
        </div>
        <div>
          <dt>Cubes</dt>
          <dd data-testid="profile-cubes">{d.cubes}</dd>
        </div>
        <div>
          <dt>Accuracy</dt>
          <dd>{percent(d.accuracy)}</dd>
        </div>
        <div>
          <dt>Streak (best)</dt>
          <dd>
            {d.streak} ({d.bestStreak})
          </dd>
        </div>
        <div>
          <dt>Practice cubes</dt>
          <dd>{d.practiceCubes}</dd>
        </div>
      </dl>

      <section aria-labelledby="ach-h">
        <h2 id="ach-h">Achievements</h2>
        <ul className="badges">
          {d.achievements.map((a) => (
            <li key={a.id} className={a.earned ? "earned" : "locked"}>
              <span className="badge-icon" aria-hidden="true">
                {a.earned ? "★" : "☆"}
              </span>
              <span>
                <strong>{a.title}</strong>
                <span className="sr-only">{a.earned ? ": earned" : ": not yet"}</span>
                <br />
                <span className="small">{a.description}</span>
                {!a.earned && <progress value={Math.round(a.progress * 100)} max={100} aria-label={`${a.title} progress`} />}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {chrono.length > 0 && (
        <section aria-labelledby="acc-h">
          <h2 id="acc-h">Accuracy</h2>
          <LineChart
            title="Accuracy of your last cubes (%)"
            xLabels={chrono.map((_, i) => String(i + 1))}
            series={[{ label: "Accuracy", values: chrono.map((h) => Math.round(h.accuracy! * 100)) }]}
            yMax={100}
          />
        </section>
      )}

      <section aria-labelledby="weeks-h">
        <h2 id="weeks-h">Points per week</h2>
        <LineChart
          title="Points per week"
          xLabels={d.weeks.map((w) => w.weekStart.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }))}
          series={[{ label: "Points", values: d.weeks.map((w) => w.points) }]}
        />
      </section>

      <section aria-labelledby="hist-h">
        <h2 id="hist-h">Your cubes</h2>
        {d.history.length === 0 ? (
          <p className="muted">
            No cubes yet. <Link href="/play">Play one!</Link>
          </p>
        ) : (
          <div className="table-scroll">
            <table data-testid="history">
              <caption className="sr-only">Your last cubes</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Neuron</th>
                  <th scope="col">Points</th>
                  <th scope="col">Accuracy</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((h) => (
                  <tr key={h.taskId}>
                    <td>{dateTime(h.createdAt)}</td>
                    <th scope="row">{h.practice ? `${h.neuronName} (practice)` : <Link href={`/neurons/${h.neuronId}`}>{h.neuronName}</Link>}</th>
                    <td>{number(h.points)}</td>
                    <td>{percent(h.accuracy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
