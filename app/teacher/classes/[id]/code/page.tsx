import type { Metadata } from "next";
import { ProjectorCode } from "./ProjectorCode";

export const metadata: Metadata = { title: "Join code · Axonaut" };

export default async function CodePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ProjectorCode classroomId={id} />;
}
