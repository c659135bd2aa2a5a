import type { Metadata } from "next";
import { Leaderboards } from "./Leaderboards";

export const metadata: Metadata = { title: "Leaderboards · Axonaut" };

export default function LeaderboardPage() {
  return <Leaderboards />;
}
