import type { Metadata } from "next";
import { TutorialClient } from "./TutorialClient";

export const metadata: Metadata = { title: "Tutorial · Axonaut" };
export const dynamic = "force-dynamic";

export default function TutorialPage() {
  return <TutorialClient testHooks={process.env.AXONAUT_TEST_HOOKS === "1"} />;
}
