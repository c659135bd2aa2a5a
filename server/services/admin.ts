// Admins give roles. Teachers declare themselves at sign-up; researchers, reviewers, experts and admins are
// appointed here (or with `npm run user:role -- <username> <ROLE>` on the server for the first admin).
import type { Db } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import type { Actor } from "./actor";
import { badInput, conflict, notFound } from "./errors";

export const ROLES: readonly Role[] = ["PLAYER", "TEACHER", "RESEARCHER", "REVIEWER", "EXPERT", "ADMIN"];

export async function setRole(db: Db, actor: Actor | null, input: { username: string; role: Role }) {
  if (!ROLES.includes(input.role)) throw badInput(`role must be one of ${ROLES.join(", ")}`);
  const user = await db.user.findFirst({ where: { username: { equals: input.username.trim(), mode: "insensitive" } } });
  if (!user) throw notFound("user");
  if (user.isGuest) throw badInput("a guest has no account yet: they sign up first");
  if (user.isStudent && input.role !== "PLAYER") throw badInput("a student account stays a player");
  if (user.role === "ADMIN" && input.role !== "ADMIN") {
    const admins = await db.user.count({ where: { role: "ADMIN" } });
    if (admins <= 1) throw conflict("the last admin cannot stop being one");
  }
  const updated = await db.user.update({ where: { id: user.id }, data: { role: input.role } });
  if (actor) {
    await db.auditLog.create({ data: { actorId: actor.userId, action: "user.setRole", before: { username: user.username, role: user.role }, after: { username: updated.username, role: updated.role }, reason: "role change" } });
  }
  return { username: updated.username, role: updated.role };
}
