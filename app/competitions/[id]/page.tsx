import type { Metadata } from "next";
import { CompetitionBoard } from "./CompetitionBoard";

export const metadata: Metadata = { title: "Competition · Axonaut" };

export default async function CompetitionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CompetitionBoard id={id} />;
}
