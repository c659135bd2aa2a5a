import type { Metadata } from "next";
import { JoinForm } from "./JoinForm";

export const metadata: Metadata = { title: "Join your class · Axonaut" };

export default async function JoinPage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  const { code } = await searchParams;
  return <JoinForm initialCode={typeof code === "string" ? code.slice(0, 20) : ""} />;
}
