// Classrooms: a teacher makes a class and gets a join code; students join with the code, a nickname and a
// PIN or picture password. No email is asked for or stored. A student's account has a random username and
// no password; the nickname lives only on the class membership and is shown only inside the class (to its
// members, its teacher and admins). Ownership is part of every query's `where`.
import { randomBytes, randomInt } from "node:crypto";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { canonicalSecret, LOCK_MINUTES, MAX_FAILED_ATTEMPTS, normalizeNickname, type Secret } from "@/core/class-secret";
import { makeCode, normalizeCode } from "@/core/join-code";
import { isoDay, weekStart } from "@/core/week";
import type { Actor } from "./actor";
import { badInput, conflict, forbidden, notFound } from "./errors";

export const MAX_CLASSES_PER_TEACHER = 100;
export const MAX_STUDENTS_PER_CLASS = 200;
export const DASHBOARD_DAYS = 30;

const isAdmin = (actor: Actor) => actor.role === "ADMIN";

/** Where-clause of the classes this actor may manage: their own, or any for an admin. */
const managed = (actor: Actor, classroomId: string): Prisma.ClassroomWhereInput => (isAdmin(actor) ? { id: classroomId } : { id: classroomId, teacherId: actor.userId });

export function className(typed: string): string {
  const name = typed.normalize("NFC").trim().replace(/\s+/g, " ");
  if (name.length < 2 || name.length > 60) throw badInput("A class name has 2 to 60 characters.");
  return name;
}

function secretText(secret: Secret): string {
  const c = canonicalSecret(secret);
  if (!c.ok) throw badInput(c.error);
  return c.text;
}

function nickname(typed: string) {
  const n = normalizeNickname(typed);
  if (!n.ok) throw badInput(n.error);
  return n;
}

async function uniqueCode<T>(attempt: (code: string) => Promise<T>): Promise<T> {
  for (let i = 0; i < 8; i++) {
    try {
      return await attempt(makeCode((n) => randomInt(n)));
    } catch (err) {
      if ((err as { code?: string }).code !== "P2002") throw err;
    }
  }
  throw conflict("could not make a unique code; try again");
}

export async function createClassroom(db: Db, actor: Actor, input: { name: string }) {
  const name = className(input.name);
  const count = await db.classroom.count({ where: { teacherId: actor.userId, archivedAt: null } });
  if (count >= MAX_CLASSES_PER_TEACHER) throw conflict(`at most ${MAX_CLASSES_PER_TEACHER} active classes; archive one first`);
  const c = await uniqueCode((joinCode) => db.classroom.create({ data: { name, teacherId: actor.userId, joinCode } }));
  return { id: c.id, name: c.name, joinCode: c.joinCode };
}

/** The classes the actor teaches (admins: theirs too; they open others by id). */
export async function listClassrooms(db: Db, actor: Actor) {
  const rows = await db.classroom.findMany({
    where: { teacherId: actor.userId },
    orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    include: { _count: { select: { members: true } } },
  });
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    joinCode: c.joinCode,
    archived: c.archivedAt !== null,
    students: c._count.members,
    activeStudents: c.activeStudents,
    points: c.points,
    average: c.average,
    createdAt: c.createdAt,
  }));
}

async function managedClass(db: Db, actor: Actor, classroomId: string) {
  const c = await db.classroom.findFirst({ where: managed(actor, classroomId) });
  if (c) return c;
  if (await db.classroom.count({ where: { id: classroomId } })) throw forbidden("this is another teacher's class");
  throw notFound("class");
}

/** The teacher's dashboard: students with cubes, points and accuracy, and per-day series for plots. */
export async function classroomDashboard(db: Db, actor: Actor, classroomId: string, now = new Date()) {
  const c = await managedClass(db, actor, classroomId);
  const members = await db.classMember.findMany({ where: { classroomId: c.id }, orderBy: { nicknameKey: "asc" } });
  const userIds = members.map((m) => m.userId);
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DASHBOARD_DAYS - 1)));
  const [accuracy, recent] = await Promise.all([
    db.trace.groupBy({ by: ["userId"], where: { userId: { in: userIds }, f1: { not: null } }, _avg: { f1: true }, _count: { f1: true } }),
    db.trace.findMany({ where: { userId: { in: userIds }, createdAt: { gte: since } }, select: { userId: true, points: true, f1: true, createdAt: true } }),
  ]);
  const acc = new Map(accuracy.map((a) => [a.userId, { mean: a._avg.f1, n: a._count.f1 }]));
  const days: string[] = [];
  for (let d = 0; d < DASHBOARD_DAYS; d++) days.push(isoDay(new Date(since.getTime() + d * 86_400_000)));
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const series = new Map(members.map((m) => [m.userId, days.map(() => ({ cubes: 0, points: 0, f1Sum: 0, f1N: 0 }))]));
  for (const t of recent) {
    const slot = series.get(t.userId)?.[dayIndex.get(isoDay(t.createdAt)) ?? -1];
    if (!slot) continue;
    slot.cubes++;
    slot.points += t.points;
    if (t.f1 !== null) (slot.f1Sum += t.f1), slot.f1N++;
  }
  return {
    id: c.id,
    name: c.name,
    joinCode: c.joinCode,
    archived: c.archivedAt !== null,
    points: c.points,
    activeStudents: c.activeStudents,
    average: c.average,
    days,
    students: members.map((m) => ({
      memberId: m.id,
      nickname: m.nickname,
      secretKind: m.secretKind,
      cubes: m.cubes,
      points: m.points,
      accuracy: acc.get(m.userId)?.mean ?? null,
      comparedCubes: acc.get(m.userId)?.n ?? 0,
      lastPlayedAt: m.lastPlayedAt,
      locked: m.lockedUntil !== null && m.lockedUntil > now,
      daily: series.get(m.userId)!.map((s) => ({ cubes: s.cubes, points: s.points, accuracy: s.f1N ? s.f1Sum / s.f1N : null })),
    })),
  };
}

async function managedMember(db: Db, actor: Actor, classroomId: string, memberId: string) {
  await managedClass(db, actor, classroomId);
  const m = await db.classMember.findFirst({ where: { id: memberId, classroomId } });
  if (!m) throw notFound("student");
  return m;
}

/** A new PIN or picture password for a student (and the lock lifted). */
export async function resetStudentSecret(db: Db, actor: Actor, input: { classroomId: string; memberId: string; secret: Secret }) {
  const text = secretText(input.secret);
  const m = await managedMember(db, actor, input.classroomId, input.memberId);
  await db.classMember.update({ where: { id: m.id }, data: { secretKind: input.secret.kind, secretHash: await hashPassword(text), failedAttempts: 0, lockedUntil: null } });
  return { memberId: m.id, secretKind: input.secret.kind };
}

export async function renameStudent(db: Db, actor: Actor, input: { classroomId: string; memberId: string; nickname: string }) {
  const n = nickname(input.nickname);
  const m = await managedMember(db, actor, input.classroomId, input.memberId);
  try {
    await db.classMember.update({ where: { id: m.id }, data: { nickname: n.nickname, nicknameKey: n.key } });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflict(`the nickname "${n.nickname}" is taken in this class`);
    throw err;
  }
  return { memberId: m.id, nickname: n.nickname };
}

/**
 * Takes a student out of the class. Their traces stay (they are part of the neurons' reconstructions), the
 * class's totals lose what the student earned in it, and the account can no longer sign in.
 */
export async function removeStudent(db: Db, actor: Actor, input: { classroomId: string; memberId: string }) {
  const m0 = await managedMember(db, actor, input.classroomId, input.memberId);
  await db.$transaction(async (tx) => {
    // The member row first, then the class: the order the trace trigger locks them in.
    const [m] = await tx.$queryRaw<{ points: number; cubes: number; activeWeek: Date | null; weekPoints: number; weekCubes: number }[]>`
      SELECT "points", "cubes", "activeWeek", "weekPoints", "weekCubes" FROM "ClassMember" WHERE "id" = ${m0.id} FOR UPDATE`;
    if (!m) return;
    const wasActive = m.cubes > 0 ? 1 : 0;
    await tx.$executeRaw`UPDATE "Classroom" SET "points" = "points" - ${m.points}, "activeStudents" = "activeStudents" - ${wasActive},
      "average" = ("points" - ${m.points})::double precision / GREATEST("activeStudents" - ${wasActive}, 1) WHERE "id" = ${input.classroomId}`;
    if (m.activeWeek && m.weekCubes > 0) {
      await tx.$executeRaw`UPDATE "ClassWeeklyScore" SET "points" = "points" - ${m.weekPoints}, "activeStudents" = "activeStudents" - 1,
        "average" = ("points" - ${m.weekPoints})::double precision / GREATEST("activeStudents" - 1, 1)
        WHERE "weekStart" = ${m.activeWeek} AND "classroomId" = ${input.classroomId}`;
    }
    await tx.classMember.delete({ where: { id: m0.id } });
  });
  return { memberId: m0.id };
}

export async function archiveClassroom(db: Db, actor: Actor, input: { classroomId: string; archived: boolean }) {
  const c = await managedClass(db, actor, input.classroomId);
  const updated = await db.classroom.update({ where: { id: c.id }, data: { archivedAt: input.archived ? (c.archivedAt ?? new Date()) : null } });
  return { id: updated.id, archived: updated.archivedAt !== null };
}

async function classByCode(db: Db, code: string) {
  const joinCode = normalizeCode(code);
  if (!joinCode) throw badInput("A class code has 6 letters and digits, like ACD-F7Q.");
  const c = await db.classroom.findUnique({ where: { joinCode } });
  if (!c) throw notFound("class with this code");
  return c;
}

/** What a student sees before joining: the class's name (already public on the class leaderboards). */
export async function lookupClass(db: Db, code: string) {
  const c = await classByCode(db, code);
  return { name: c.name, archived: c.archivedAt !== null };
}

/**
 * Joins a class as a new student. A guest who joins keeps their progress: their account becomes the
 * student's. Anyone else gets a new student account (the page then signs them in as it).
 */
export async function joinClassroom(db: Db, actor: Actor | null, input: { code: string; nickname: string; secret: Secret }) {
  const n = nickname(input.nickname);
  const text = secretText(input.secret);
  const c = await classByCode(db, input.code);
  if (c.archivedAt) throw conflict("This class is archived: ask your teacher for a new code.");
  const count = await db.classMember.count({ where: { classroomId: c.id } });
  if (count >= MAX_STUDENTS_PER_CLASS) throw conflict(`This class is full (${MAX_STUDENTS_PER_CLASS} students).`);
  if (await db.classMember.findUnique({ where: { classroomId_nicknameKey: { classroomId: c.id, nicknameKey: n.key } } })) {
    throw conflict(`The nickname "${n.nickname}" is taken in this class. If it is you, choose "I have joined before".`);
  }
  const secretHash = await hashPassword(text);
  const username = `student-${randomBytes(6).toString("hex")}`;
  const upgradeGuest = actor?.isGuest === true;
  try {
    const member = await db.$transaction(async (tx) => {
      const user = upgradeGuest
        ? await tx.user.update({ where: { id: actor.userId, isGuest: true }, data: { username, isGuest: false, isStudent: true } })
        : await tx.user.create({ data: { username, isStudent: true } });
      return tx.classMember.create({ data: { classroomId: c.id, userId: user.id, nickname: n.nickname, nicknameKey: n.key, secretKind: input.secret.kind, secretHash } });
    });
    return { classroomId: c.id, className: c.name, nickname: member.nickname, keptProgress: upgradeGuest };
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflict(`The nickname "${n.nickname}" is taken in this class.`);
    throw err;
  }
}

/**
 * Student sign-in (the next-auth "student" provider): code + nickname + secret. After MAX_FAILED_ATTEMPTS
 * wrong tries the student waits LOCK_MINUTES (or the teacher resets the secret). Null when it fails.
 */
export async function studentSignIn(db: Db, input: { code: string; nickname: string; secret: Secret }, now = new Date()): Promise<{ userId: string; nickname: string; locked?: boolean } | null> {
  const joinCode = normalizeCode(input.code);
  const n = normalizeNickname(input.nickname);
  const c = canonicalSecret(input.secret);
  const member =
    joinCode && n.ok
      ? await db.classMember.findFirst({ where: { nicknameKey: n.key, classroom: { joinCode } }, include: { user: { select: { id: true } } } })
      : null;
  if (!member || !c.ok) {
    await hashPassword("timing-equalizer"); // the same work either way
    return null;
  }
  if (member.lockedUntil && member.lockedUntil > now) return { userId: member.userId, nickname: member.nickname, locked: true };
  const ok = member.secretKind === input.secret.kind && (await verifyPassword(c.text, member.secretHash));
  if (!ok) {
    const failed = member.failedAttempts + 1;
    await db.classMember.update({
      where: { id: member.id },
      data: failed >= MAX_FAILED_ATTEMPTS ? { failedAttempts: 0, lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) } : { failedAttempts: failed },
    });
    return null;
  }
  if (member.failedAttempts || member.lockedUntil) await db.classMember.update({ where: { id: member.id }, data: { failedAttempts: 0, lockedUntil: null } });
  return { userId: member.userId, nickname: member.nickname };
}

/** The caller's own class, if they are a student. */
export async function myClassroom(db: Db, actor: Actor) {
  const m = await db.classMember.findUnique({ where: { userId: actor.userId }, include: { classroom: true } });
  if (!m) return null;
  return { classroomId: m.classroomId, name: m.classroom.name, nickname: m.nickname, archived: m.classroom.archivedAt !== null, points: m.points, cubes: m.cubes };
}

/** May this actor see the class's members (its leaderboard)? Members, its teacher, admins. */
export async function assertCanSeeClass(db: Db, actor: Actor, classroomId: string) {
  const c = await db.classroom.findUnique({ where: { id: classroomId }, select: { id: true, name: true, teacherId: true } });
  if (!c) throw notFound("class");
  if (isAdmin(actor) || c.teacherId === actor.userId) return c;
  const member = await db.classMember.findFirst({ where: { classroomId, userId: actor.userId }, select: { id: true } });
  if (!member) throw forbidden("only the class's students and teacher see its members");
  return c;
}

export { weekStart };
