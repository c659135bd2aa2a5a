// Competitions: a time-boxed match between classes. A teacher schedules one with their own classes (an admin
// with any) and gets an invite code that other teachers use to enter theirs. Classes are ranked by average
// points per active student, where an active student traced at least one cube during the match, so class
// size does not decide. Standings are live while the match runs and frozen once it is over.
import { randomInt } from "node:crypto";
import type { Db } from "@/server/db/client";
import { makeCode, normalizeCode } from "@/core/join-code";
import type { Actor } from "./actor";
import { badInput, conflict, forbidden, notFound } from "./errors";

export const MAX_COMPETITION_DAYS = 31;
export const MAX_COMPETITION_CLASSES = 50;
const INVITE_LENGTH = 8;

export type CompetitionStatus = "SCHEDULED" | "LIVE" | "FINISHED";
export const statusAt = (c: { startsAt: Date; endsAt: Date }, now: Date): CompetitionStatus =>
  now < c.startsAt ? "SCHEDULED" : now < c.endsAt ? "LIVE" : "FINISHED";

const isAdmin = (a: Actor) => a.role === "ADMIN";

async function assertEnterable(db: Db, actor: Actor, classroomIds: string[]) {
  const classes = await db.classroom.findMany({ where: { id: { in: classroomIds } }, select: { id: true, teacherId: true, archivedAt: true } });
  if (classes.length !== new Set(classroomIds).size) throw notFound("class");
  for (const c of classes) {
    if (!isAdmin(actor) && c.teacherId !== actor.userId) throw forbidden("you can enter only your own classes");
    if (c.archivedAt) throw conflict("an archived class cannot compete");
  }
}

export async function createCompetition(db: Db, actor: Actor, input: { name: string; startsAt: Date; endsAt: Date; classroomIds: string[] }, now = new Date()) {
  const name = input.name.normalize("NFC").trim().replace(/\s+/g, " ");
  if (name.length < 2 || name.length > 80) throw badInput("A competition name has 2 to 80 characters.");
  if (!(input.endsAt > input.startsAt)) throw badInput("The competition must end after it starts.");
  if (input.endsAt.getTime() - input.startsAt.getTime() > MAX_COMPETITION_DAYS * 86_400_000) throw badInput(`A competition lasts at most ${MAX_COMPETITION_DAYS} days.`);
  if (input.endsAt <= now) throw badInput("The competition must end in the future.");
  const classroomIds = [...new Set(input.classroomIds)];
  if (classroomIds.length < 1 || classroomIds.length > MAX_COMPETITION_CLASSES) throw badInput(`Choose 1 to ${MAX_COMPETITION_CLASSES} classes.`);
  await assertEnterable(db, actor, classroomIds);
  for (let i = 0; i < 8; i++) {
    try {
      const c = await db.competition.create({
        data: {
          name,
          createdById: actor.userId,
          inviteCode: makeCode((n) => randomInt(n), INVITE_LENGTH),
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          classes: { create: classroomIds.map((classroomId) => ({ classroomId })) },
        },
      });
      return { id: c.id, inviteCode: c.inviteCode };
    } catch (err) {
      if ((err as { code?: string }).code !== "P2002") throw err;
    }
  }
  throw conflict("could not make a unique invite code; try again");
}

/** Another teacher enters their class with the invite code, before the match ends. */
export async function enterCompetition(db: Db, actor: Actor, input: { inviteCode: string; classroomId: string }, now = new Date()) {
  const inviteCode = normalizeCode(input.inviteCode, INVITE_LENGTH);
  if (!inviteCode) throw badInput("An invite code has 8 letters and digits.");
  const c = await db.competition.findUnique({ where: { inviteCode } });
  if (!c) throw notFound("competition with this invite code");
  if (c.endsAt <= now) throw conflict("this competition is over");
  await assertEnterable(db, actor, [input.classroomId]);
  const count = await db.competitionClass.count({ where: { competitionId: c.id } });
  if (count >= MAX_COMPETITION_CLASSES) throw conflict("this competition is full");
  await db.competitionClass.upsert({
    where: { competitionId_classroomId: { competitionId: c.id, classroomId: input.classroomId } },
    create: { competitionId: c.id, classroomId: input.classroomId },
    update: {},
  });
  return { competitionId: c.id, name: c.name };
}

type Live = { classroomId: string; name: string; points: number; activeStudents: number };

/** Points and active students per class during [startsAt, endsAt): one indexed join over the members' traces. */
async function liveStandings(db: Db, competitionId: string, startsAt: Date, endsAt: Date): Promise<Live[]> {
  const rows = await db.$queryRaw<{ classroomId: string; name: string; points: bigint | number | null; active: bigint | number }[]>`
    SELECT cc."classroomId", c."name", COALESCE(SUM(t."points"), 0) AS "points", COUNT(DISTINCT t."userId") AS "active"
    FROM "CompetitionClass" cc
    JOIN "Classroom" c ON c."id" = cc."classroomId"
    LEFT JOIN "ClassMember" m ON m."classroomId" = cc."classroomId"
    LEFT JOIN "Trace" t ON t."userId" = m."userId" AND t."createdAt" >= ${startsAt} AND t."createdAt" < ${endsAt}
    WHERE cc."competitionId" = ${competitionId}
    GROUP BY cc."classroomId", c."name"`;
  return rows.map((r) => ({ classroomId: r.classroomId, name: r.name, points: Number(r.points ?? 0), activeStudents: Number(r.active) }));
}

export function rankClasses(rows: Live[]) {
  const scored = rows
    .map((r) => ({ ...r, average: r.activeStudents > 0 ? r.points / r.activeStudents : 0 }))
    .sort((a, b) => b.average - a.average || b.activeStudents - a.activeStudents || a.name.localeCompare(b.name));
  let rank = 0;
  return scored.map((r, i) => {
    if (i === 0 || scored[i - 1]!.average !== r.average) rank = i + 1;
    return { rank, classroomId: r.classroomId, name: r.name, points: r.points, activeStudents: r.activeStudents, average: Math.round(r.average) };
  });
}

/** A competition with its standings (public: classes by name, never students). Freezes them once over. */
export async function getCompetition(db: Db, actor: Actor | null, id: string, now = new Date()) {
  const c = await db.competition.findUnique({ where: { id }, include: { classes: { include: { classroom: { select: { name: true, teacherId: true } } } } } });
  if (!c) throw notFound("competition");
  const status = statusAt(c, now);
  let rows: Live[];
  if (c.finalizedAt) {
    rows = c.classes.map((k) => ({ classroomId: k.classroomId, name: k.classroom.name, points: k.points ?? 0, activeStudents: k.activeStudents ?? 0 }));
  } else {
    rows = await liveStandings(db, c.id, c.startsAt, c.endsAt);
    if (status === "FINISHED") await freeze(db, c.id, rows);
  }
  const mine = actor ? c.classes.filter((k) => k.classroom.teacherId === actor.userId).map((k) => k.classroomId) : [];
  const canManage = actor !== null && (isAdmin(actor) || c.createdById === actor.userId);
  return {
    id: c.id,
    name: c.name,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    status,
    now,
    inviteCode: canManage ? c.inviteCode : null,
    myClassroomIds: mine,
    standings: rankClasses(rows),
  };
}

async function freeze(db: Db, competitionId: string, rows: Live[]) {
  await db.$transaction(async (tx) => {
    const done = await tx.competition.updateMany({ where: { id: competitionId, finalizedAt: null }, data: { finalizedAt: new Date() } });
    if (done.count === 0) return; // another request froze it first
    for (const r of rows) {
      await tx.competitionClass.update({ where: { competitionId_classroomId: { competitionId, classroomId: r.classroomId } }, data: { points: r.points, activeStudents: r.activeStudents } });
    }
  });
}

/** Competitions running, coming, and over in the last 60 days; with the caller's classes' ones marked. */
export async function listCompetitions(db: Db, actor: Actor | null, now = new Date()) {
  const since = new Date(now.getTime() - 60 * 86_400_000);
  const rows = await db.competition.findMany({
    where: { endsAt: { gte: since } },
    orderBy: [{ endsAt: "desc" }],
    take: 100,
    include: { classes: { select: { classroom: { select: { teacherId: true } }, classroomId: true } } },
  });
  const myClass = actor ? await db.classMember.findUnique({ where: { userId: actor.userId }, select: { classroomId: true } }) : null;
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    status: statusAt(c, now),
    classes: c.classes.length,
    mine: actor !== null && (c.createdById === actor.userId || c.classes.some((k) => k.classroom.teacherId === actor.userId || k.classroomId === myClass?.classroomId)),
  }));
}
