import type { Metadata } from "next";
import { TeacherHome } from "./TeacherHome";

export const metadata: Metadata = { title: "Teacher · Axonaut" };

export default function TeacherPage() {
  return <TeacherHome />;
}
