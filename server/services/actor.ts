import type { Role } from "@/server/db/generated/enums";
import { unauthorized } from "./errors";

/** Who is calling a service: taken from the session by the tRPC context, or built by the CLI/tests. */
export type Actor = { userId: string; username: string; role: Role; isGuest: boolean };

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthorized();
  return actor;
}
