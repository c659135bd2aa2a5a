"use client";
// For the projector: the join code in huge letters, the QR code and the address, and who has joined.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { JoinQr, joinUrl } from "@/app/_components/classroom/JoinQr";
import { TeacherOnly } from "@/app/_components/classroom/TeacherOnly";
import { displayCode } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc";

export function ProjectorCode({ classroomId }: { classroomId: string }) {
  return (
    <TeacherOnly>
      <Inner classroomId={classroomId} />
    </TeacherOnly>
  );
}

function Inner({ classroomId }: { classroomId: string }) {
  const trpc = useTRPC();
  const dash = useQuery({ ...trpc.classroom.dashboard.queryOptions({ classroomId }), refetchInterval: 5000 });
  if (dash.isError) return <p role="alert" className="error">{dash.error.message}</p>;
  if (!dash.data) return <p className="muted">Loading…</p>;
  const d = dash.data;
  return (
    <div className="projector">
      <h1>Join {d.name}</h1>
      <div className="projector-row">
        <div>
          <p className="projector-step">
            1. Open <strong>{joinUrl("").replace(/\?code=$/, "")}</strong>
          </p>
          <p className="projector-step">2. Type the class code</p>
          <p className="projector-code" data-testid="projector-code" aria-label={`Class code ${d.joinCode.split("").join(" ")}`}>
            {displayCode(d.joinCode)}
          </p>
          <p className="projector-step">3. Choose a nickname and a picture password</p>
        </div>
        <div>
          <JoinQr code={d.joinCode} className={d.name} size={320} />
          <p className="muted center">or scan this</p>
        </div>
      </div>
      <p aria-live="polite">
        {d.students.length} joined{d.students.length ? `: ${d.students.map((s) => s.nickname).join(", ")}` : ""}
      </p>
      <Link href={`/teacher/classes/${classroomId}`}>Back to the dashboard</Link>
    </div>
  );
}
