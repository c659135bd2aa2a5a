// Leaderboards that stay fast with 100,000 players: each reads one index in order (see the indexes on User,
// WeeklyScore, Classroom and ClassWeeklyScore in prisma/schema.prisma, and the trace trigger that keeps
// the aggregates in the classrooms migration), and a player's own rank is one index range count.
// Public boards list players who are not students, and classes by name; a class's own board (nicknames)
// is for its members, its teacher and admins only.
import type { Db } from "@/server/db/client";
import { levelFor } from "@/core/levels";
import { weekStart } from "@/core/week";
import type { Actor } from "./actor";
import { assertCanSeeClass } from "./classrooms";

export type Period = "ALL" | "WEEK";
export const MAX_LEADERBOARD_ROWS = 100;

const clampLimit = (n: number | undefined) => Math.max(1, Math.min(MAX_LEADERBOARD_ROWS, Math.floor(n ?? 25)));

type PlayerRow = { userId: string; username: string; points: number; cubes: number | null };

/** Top players (not students), and the caller's own rank when they are on the board. */
export async function playerLeaderboard(db: Db, actor: Actor | null, input: { period: Period; limit?: number }, now = new Date()) {
  const limit = clampLimit(input.limit);
  const week = weekStart(now);
  const rows =
    input.period === "ALL"
      ? await db.$queryRaw<PlayerRow[]>`
          SELECT u."id" AS "userId", u."username", u."points", NULL::int AS "cubes" FROM "User" u
          WHERE u."isStudent" = false AND u."points" > 0
          ORDER BY u."points" DESC, u."id" ASC LIMIT ${limit}`
      : await db.$queryRaw<PlayerRow[]>`
          SELECT w."userId", u."username", w."points", w."cubes" FROM "WeeklyScore" w JOIN "User" u ON u."id" = w."userId"
          WHERE w."weekStart" = ${week}::date AND w."isStudent" = false AND w."points" > 0
          ORDER BY w."points" DESC, w."userId" ASC LIMIT ${limit}`;
  const entries = withRanks(rows).map((r) => ({
    rank: r.rank,
    username: r.username,
    points: r.points,
    cubes: r.cubes,
    level: levelFor(r.points).level,
    you: r.userId === actor?.userId,
  }));
  return { period: input.period, weekStart: week, entries, me: actor ? await playerRank(db, actor, input.period, week) : null };
}

/** Competition ranking ("1, 2, 2, 4"): equal points share a rank. */
function withRanks<T extends { points: number }>(rows: T[]): (T & { rank: number })[] {
  let rank = 0;
  return rows.map((r, i) => {
    if (i === 0 || rows[i - 1]!.points !== r.points) rank = i + 1;
    return { ...r, rank };
  });
}

async function playerRank(db: Db, actor: Actor, period: Period, week: Date) {
  if (period === "ALL") {
    const [me] = await db.$queryRaw<{ points: number; isStudent: boolean }[]>`SELECT "points", "isStudent" FROM "User" WHERE "id" = ${actor.userId}`;
    if (!me || me.isStudent || me.points <= 0) return null;
    const [ahead] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "User" WHERE "isStudent" = false AND "points" > ${me.points}`;
    return { rank: Number(ahead!.n) + 1, points: me.points };
  }
  const [me] = await db.$queryRaw<{ points: number; isStudent: boolean }[]>`
    SELECT "points", "isStudent" FROM "WeeklyScore" WHERE "weekStart" = ${week}::date AND "userId" = ${actor.userId}`;
  if (!me || me.isStudent || me.points <= 0) return null;
  const [ahead] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "WeeklyScore" WHERE "weekStart" = ${week}::date AND "isStudent" = false AND "points" > ${me.points}`;
  return { rank: Number(ahead!.n) + 1, points: me.points };
}

type ClassRow = { classroomId: string; name: string; points: number; activeStudents: number; average: number };

/** Classes by name, ranked by average points per active student (so class size does not decide). */
export async function classLeaderboard(db: Db, input: { period: Period; limit?: number }, now = new Date()) {
  const limit = clampLimit(input.limit);
  const week = weekStart(now);
  const rows =
    input.period === "ALL"
      ? await db.$queryRaw<ClassRow[]>`
          SELECT c."id" AS "classroomId", c."name", c."points", c."activeStudents", c."average" FROM "Classroom" c
          WHERE c."archivedAt" IS NULL AND c."activeStudents" > 0
          ORDER BY c."average" DESC, c."id" ASC LIMIT ${limit}`
      : await db.$queryRaw<ClassRow[]>`
          SELECT s."classroomId", c."name", s."points", s."activeStudents", s."average" FROM "ClassWeeklyScore" s
          JOIN "Classroom" c ON c."id" = s."classroomId"
          WHERE s."weekStart" = ${week}::date AND s."activeStudents" > 0 AND c."archivedAt" IS NULL
          ORDER BY s."average" DESC, s."classroomId" ASC LIMIT ${limit}`;
  let rank = 0;
  const entries = rows.map((r, i) => {
    if (i === 0 || rows[i - 1]!.average !== r.average) rank = i + 1;
    return { rank, classroomId: r.classroomId, name: r.name, points: r.points, activeStudents: r.activeStudents, average: Math.round(r.average) };
  });
  return { period: input.period, weekStart: week, entries };
}

/** One class's students by points earned in the class (all time or this week): nicknames, so members only. */
export async function classroomBoard(db: Db, actor: Actor, input: { classroomId: string; period: Period }, now = new Date()) {
  const c = await assertCanSeeClass(db, actor, input.classroomId);
  const week = weekStart(now);
  const members = await db.classMember.findMany({
    where: { classroomId: c.id },
    select: { userId: true, nickname: true, points: true, cubes: true, activeWeek: true, weekPoints: true, weekCubes: true },
  });
  const rows = members
    .map((m) => {
      const thisWeek = m.activeWeek?.getTime() === week.getTime();
      return {
        userId: m.userId,
        nickname: m.nickname,
        points: input.period === "ALL" ? m.points : thisWeek ? m.weekPoints : 0,
        cubes: input.period === "ALL" ? m.cubes : thisWeek ? m.weekCubes : 0,
      };
    })
    .sort((a, b) => b.points - a.points || a.nickname.localeCompare(b.nickname));
  return {
    classroomId: c.id,
    name: c.name,
    period: input.period,
    entries: withRanks(rows).map((r) => ({ rank: r.rank, nickname: r.nickname, points: r.points, cubes: r.cubes, you: r.userId === actor.userId })),
  };
}
