import type { Metadata } from "next";
import { CompetitionList } from "./CompetitionList";

export const metadata: Metadata = { title: "Competitions · Axonaut" };

export default function CompetitionsPage() {
  return <CompetitionList />;
}
