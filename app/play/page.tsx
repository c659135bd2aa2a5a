import { PlayClient } from "./PlayClient";

export const dynamic = "force-dynamic";

export default function PlayPage() {
  // Test hooks (window.__axonautGame) only when the server runs the browser tests.
  return <PlayClient testHooks={process.env.AXONAUT_TEST_HOOKS === "1"} />;
}
