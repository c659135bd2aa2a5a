import type { Metadata } from "next";
import { ClassBoard } from "@/app/_components/classroom/ClassBoard";

export const metadata: Metadata = { title: "Class leaderboard · Axonaut" };

export default async function ClassBoardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ClassBoard classroomId={id} />;
}
