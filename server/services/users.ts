// Accounts: sign-up with a username and password, guests, and turning a guest into an account.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/server/db/client";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from "@/server/auth/password";
import type { Actor } from "./actor";
import { badInput, conflict } from "./errors";
import { NO_EVIDENCE, reliabilitySummary } from "@/core/reliability";

export const usernameSchema = z
  .string()
  .trim()
  .min(3, "username must be at least 3 characters")
  .max(32, "username must be at most 32 characters")
  .regex(/^[A-Za-z0-9_.-]+$/, "username may use letters, digits, '_', '.' and '-' only");

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** `teacher`: the account may create classes and competitions (self-declared, like most classroom tools). */
export const signUpSchema = z.object({ username: usernameSchema, password: passwordSchema, teacher: z.boolean().optional() });

const toActor = (u: { id: string; username: string; role: Actor["role"]; isGuest: boolean }): Actor => ({
  userId: u.id,
  username: u.username,
  role: u.role,
  isGuest: u.isGuest,
});

/** Creates an account, or turns the calling guest into one so that progress is kept. */
export async function signUp(db: Db, input: { username: string; password: string; teacher?: boolean }, guest: Actor | null): Promise<Actor> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw badInput(parsed.error.issues.map((i) => i.message).join("; "));
  const { username, password } = parsed.data;
  const weak = passwordProblem(password, username); // common passwords, runs, the username (length: above)
  if (weak) throw badInput(weak);
  const role = parsed.data.teacher ? ({ role: "TEACHER" } as const) : {};
  const taken = await db.user.findFirst({ where: { username: { equals: username, mode: "insensitive" } } });
  if (taken) throw conflict(`the username "${username}" is taken`);
  const passwordHash = await hashPassword(password);
  try {
    const user = guest?.isGuest
      ? await db.user.update({ where: { id: guest.userId }, data: { username, passwordHash, isGuest: false, ...role } })
      : await db.user.create({ data: { username, passwordHash, ...role } });
    return toActor(user);
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflict(`the username "${username}" is taken`);
    throw err;
  }
}

export async function signIn(db: Db, input: { username: string; password: string }): Promise<Actor | null> {
  const user = await db.user.findFirst({ where: { username: { equals: input.username.trim(), mode: "insensitive" }, isGuest: false } });
  if (!user?.passwordHash) {
    await hashPassword(input.password); // same work either way, so timing does not reveal usernames
    return null;
  }
  return (await verifyPassword(input.password, user.passwordHash)) ? toActor(user) : null;
}

export async function createGuest(db: Db): Promise<Actor> {
  const username = `guest-${randomBytes(5).toString("hex")}`;
  return toActor(await db.user.create({ data: { username, isGuest: true } }));
}

export async function getActor(db: Db, userId: string): Promise<Actor | null> {
  const u = await db.user.findUnique({ where: { id: userId } });
  return u ? toActor(u) : null;
}

export async function profile(db: Db, actor: Actor) {
  const u = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, include: { reliability: true, _count: { select: { traces: true } } } });
  return {
    username: u.username,
    isGuest: u.isGuest,
    role: u.role,
    points: u.points,
    cubes: u._count.traces,
    streak: u.streak,
    bestStreak: u.bestStreak,
    practiceCubes: u.reliability?.practiceCubes ?? 0,
    reliability: reliabilitySummary(u.reliability ?? NO_EVIDENCE, u.role === "EXPERT"),
  };
}
