import type { Metadata } from "next";
import { ResearcherHome } from "./ResearcherHome";

export const metadata: Metadata = { title: "Researcher · Axonaut" };

export default function ResearcherPage() {
  return <ResearcherHome />;
}
