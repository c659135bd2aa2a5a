import type { Metadata } from "next";
import { ClassDashboard } from "./ClassDashboard";

export const metadata: Metadata = { title: "Class dashboard · Axonaut" };

export default async function ClassPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ClassDashboard classroomId={id} />;
}
