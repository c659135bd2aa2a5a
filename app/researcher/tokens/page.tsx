import type { Metadata } from "next";
import { Tokens } from "./Tokens";

export const metadata: Metadata = { title: "API tokens · Axonaut" };

export default function TokensPage() {
  return <Tokens />;
}
