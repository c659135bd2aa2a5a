"use client";
// A teacher's class dashboard: join code and QR, students with cubes, points and accuracy, plots over the
// last 30 days, and managing students (rename, new PIN or pictures, remove) and the class (archive).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { JoinQr } from "@/app/_components/classroom/JoinQr";
import { LineChart } from "@/app/_components/classroom/LineChart";
import { SecretInput } from "@/app/_components/classroom/PicturePassword";
import { TeacherOnly } from "@/app/_components/classroom/TeacherOnly";
import { dateTime, displayCode, number, percent, shortDay } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc";

export function ClassDashboard({ classroomId }: { classroomId: string }) {
  return (
    <TeacherOnly>
      <Dashboard classroomId={classroomId} />
    </TeacherOnly>
  );
}

type Action = { memberId: string; nickname: string; kind: "rename" | "secret" | "remove" };

function Dashboard({ classroomId }: { classroomId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // Refreshes while the lesson runs, so new students and their cubes appear without a reload.
  const dash = useQuery({ ...trpc.classroom.dashboard.queryOptions({ classroomId }), refetchInterval: 10_000 });
  const archive = useMutation(trpc.classroom.archive.mutationOptions());
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.classroom.dashboard.queryKey({ classroomId }) });

  if (dash.isError) return <p role="alert" className="error">{dash.error.message}</p>;
  if (!dash.data) return <p className="muted">Loading the class…</p>;
  const d = dash.data;
  const labels = d.days.map(shortDay);
  const cumulative = d.students.map((s) => {
    let sum = 0;
    return { label: s.nickname, values: s.daily.map((x) => (sum += x.points)) };
  });
  const accuracy = d.students.map((s) => ({ label: s.nickname, values: s.daily.map((x) => (x.accuracy === null ? null : Math.round(x.accuracy * 100))) }));
  const cubes = [{ label: "Cubes by the class", values: d.days.map((_, i) => d.students.reduce((n, s) => n + s.daily[i]!.cubes, 0)) }];

  return (
    <div className="stack-lg">
      <div className="dash-head">
        <div>
          <p className="muted small">
            <Link href="/teacher">Your classes</Link> /
          </p>
          <h1>{d.name}</h1>
          {d.archived && <p className="badge finished">Archived: students can no longer join</p>}
          <p className="join-line">
            Join code <strong className="code big-code" data-testid="join-code">{displayCode(d.joinCode)}</strong>
          </p>
          <p className="muted">Students open the Axonaut site, choose “Join a class” and type this code, or scan the QR code.</p>
          <div className="actions">
            <Link className="button" href={`/teacher/classes/${d.id}/code`}>
              Show on the projector
            </Link>
            <Link className="button secondary" href={`/class/${d.id}`}>
              Class leaderboard
            </Link>
          </div>
        </div>
        <JoinQr code={d.joinCode} className={d.name} size={180} />
      </div>

      <section aria-labelledby="summary-h">
        <h2 id="summary-h">Summary</h2>
        <dl className="stats">
          <div>
            <dt>Students</dt>
            <dd data-testid="student-count">{d.students.length}</dd>
          </div>
          <div>
            <dt>Active (traced a cube)</dt>
            <dd>{d.activeStudents}</dd>
          </div>
          <div>
            <dt>Points in this class</dt>
            <dd>{number(d.points)}</dd>
          </div>
          <div>
            <dt>Average per active student</dt>
            <dd>{number(Math.round(d.average))}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="students-h">
        <h2 id="students-h">Students</h2>
        {notice && (
          <p role="status" className="note">
            {notice}
          </p>
        )}
        {d.students.length === 0 ? (
          <p className="muted">Nobody has joined yet. Show the code on the projector.</p>
        ) : (
          <div className="table-scroll">
            <table data-testid="students">
              <caption className="sr-only">Students of {d.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Nickname</th>
                  <th scope="col">Cubes</th>
                  <th scope="col">Points</th>
                  <th scope="col">Accuracy</th>
                  <th scope="col">Last played</th>
                  <th scope="col">Sign-in</th>
                  <th scope="col">Manage</th>
                </tr>
              </thead>
              <tbody>
                {d.students.map((s) => (
                  <tr key={s.memberId}>
                    <th scope="row">{s.nickname}</th>
                    <td>{s.cubes}</td>
                    <td>{number(s.points)}</td>
                    <td>{s.comparedCubes ? percent(s.accuracy) : "–"}</td>
                    <td>{s.lastPlayedAt ? dateTime(s.lastPlayedAt) : "not yet"}</td>
                    <td>{s.locked ? <span className="badge live">Locked: reset it</span> : s.secretKind === "PIN" ? "PIN" : "Pictures"}</td>
                    <td className="row-actions">
                      <button type="button" className="small-btn secondary" aria-label={`Rename ${s.nickname}`} onClick={() => setAction({ memberId: s.memberId, nickname: s.nickname, kind: "rename" })}>
                        Rename
                      </button>
                      <button type="button" className="small-btn secondary" aria-label={`New password for ${s.nickname}`} onClick={() => setAction({ memberId: s.memberId, nickname: s.nickname, kind: "secret" })}>
                        New password
                      </button>
                      <button type="button" className="small-btn danger" aria-label={`Remove ${s.nickname}`} onClick={() => setAction({ memberId: s.memberId, nickname: s.nickname, kind: "remove" })}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {action && (
          <StudentAction
            key={`${action.memberId}-${action.kind}`}
            classroomId={d.id}
            action={action}
            onDone={async (msg) => {
              setAction(null);
              setNotice(msg);
              await refresh();
            }}
            onCancel={() => setAction(null)}
          />
        )}
      </section>

      {d.students.length > 0 && (
        <section aria-labelledby="plots-h">
          <h2 id="plots-h">Over the last 30 days</h2>
          <LineChart title="Points per student (running total)" xLabels={labels} series={cumulative} />
          <LineChart title="Accuracy per student and day (%)" xLabels={labels} series={accuracy} yMax={100} format={(v) => `${Math.round(v)}`} />
          <LineChart title="Cubes traced by the class per day" xLabels={labels} series={cubes} />
        </section>
      )}

      <section aria-labelledby="archive-h" className="card">
        <h2 id="archive-h">{d.archived ? "Reopen the class" : "Archive the class"}</h2>
        <p className="muted">
          {d.archived
            ? "Reopening lets students join with the code again and puts the class back on the leaderboards."
            : "When the course is over: nobody can join any more and the class leaves the leaderboards. Students keep their points and can still sign in."}
        </p>
        <button
          type="button"
          className={d.archived ? "" : "danger"}
          disabled={archive.isPending}
          onClick={async () => {
            if (!d.archived && !window.confirm(`Archive ${d.name}?`)) return;
            await archive.mutateAsync({ classroomId: d.id, archived: !d.archived });
            await refresh();
          }}
        >
          {d.archived ? "Reopen class" : "Archive class"}
        </button>
      </section>
    </div>
  );
}

function StudentAction({ classroomId, action, onDone, onCancel }: { classroomId: string; action: Action; onDone: (msg: string) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const rename = useMutation(trpc.classroom.renameStudent.mutationOptions());
  const reset = useMutation(trpc.classroom.resetSecret.mutationOptions());
  const remove = useMutation(trpc.classroom.removeStudent.mutationOptions());
  const [nickname, setNickname] = useState(action.nickname);
  const [kind, setKind] = useState<"PIN" | "PICTURE">("PICTURE");
  const [pin, setPin] = useState("");
  const [pictures, setPictures] = useState<string[]>([]);
  const error = rename.error ?? reset.error ?? remove.error;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (action.kind === "rename") {
      const r = await rename.mutateAsync({ classroomId, memberId: action.memberId, nickname });
      onDone(`${action.nickname} is now called ${r.nickname}.`);
    } else if (action.kind === "secret") {
      await reset.mutateAsync({ classroomId, memberId: action.memberId, secret: { kind, value: kind === "PIN" ? pin : pictures.join(",") } });
      onDone(`${action.nickname} has a new ${kind === "PIN" ? "PIN" : "picture password"}. Tell them quietly.`);
    } else {
      await remove.mutateAsync({ classroomId, memberId: action.memberId });
      onDone(`${action.nickname} was removed from the class.`);
    }
  }
  const title = action.kind === "rename" ? `Rename ${action.nickname}` : action.kind === "secret" ? `New password for ${action.nickname}` : `Remove ${action.nickname}?`;
  return (
    <form className="card stack action-panel" onSubmit={submit} aria-labelledby="action-h">
      <h3 id="action-h" tabIndex={-1} ref={(el) => el?.focus()}>
        {title}
      </h3>
      {action.kind === "rename" && (
        <label>
          New nickname
          <input value={nickname} onChange={(e) => setNickname(e.target.value)} required minLength={2} maxLength={20} />
        </label>
      )}
      {action.kind === "secret" && <SecretInput kind={kind} onKind={setKind} pin={pin} onPin={setPin} pictures={pictures} onPictures={setPictures} newSecret />}
      {action.kind === "remove" && <p>They can no longer sign in to this class. The cubes they traced stay part of the neurons.</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className={action.kind === "remove" ? "danger" : ""}>
          {action.kind === "rename" ? "Save nickname" : action.kind === "secret" ? "Save password" : "Remove student"}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
