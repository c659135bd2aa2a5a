// A player's profile page: level, streaks, achievements, their history of cubes and an accuracy series.
// Uses the crowd engine's numbers (points, streak and bestStreak on User, practice cubes on Reliability,
// F1 per trace) rather than keeping parallel ones.
import type { Db } from "@/server/db/client";
import { achievementsFor } from "@/core/achievements";
import { levelFor } from "@/core/levels";
import { weekStart } from "@/core/week";
import type { Actor } from "./actor";

export const HISTORY_ROWS = 50;
export const WEEKS_SHOWN = 8;

export async function playerProfile(db: Db, actor: Actor, now = new Date()) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    include: { reliability: true, membership: { include: { classroom: { select: { id: true, name: true } } } }, _count: { select: { traces: true } } },
  });
  const firstWeek = new Date(weekStart(now).getTime() - (WEEKS_SHOWN - 1) * 7 * 86_400_000);
  const [history, compared, trailblazer, weeks, competitions] = await Promise.all([
    db.trace.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
      take: HISTORY_ROWS,
      select: { taskId: true, points: true, f1: true, createdAt: true, task: { select: { kind: true, neuron: { select: { id: true, name: true } } } } },
    }),
    db.trace.aggregate({ where: { userId: user.id, f1: { not: null } }, _avg: { f1: true }, _count: { f1: true } }),
    db.trace.count({ where: { userId: user.id, result: { path: ["breakdown", "trailblazer"], gt: 0 } } }),
    db.weeklyScore.findMany({ where: { userId: user.id, weekStart: { gte: firstWeek } }, orderBy: { weekStart: "asc" } }),
    user.membership
      ? db.$queryRaw<{ n: bigint }[]>`
          SELECT count(DISTINCT cc."competitionId") AS n FROM "CompetitionClass" cc JOIN "Competition" c ON c."id" = cc."competitionId"
          WHERE cc."classroomId" = ${user.membership.classroomId}
            AND EXISTS (SELECT 1 FROM "Trace" t WHERE t."userId" = ${user.id} AND t."createdAt" >= c."startsAt" AND t."createdAt" < c."endsAt")`
      : Promise.resolve([{ n: 0n }]),
  ]);
  const stats = {
    cubes: user._count.traces,
    points: user.points,
    practiceCubes: user.reliability?.practiceCubes ?? 0,
    bestStreak: user.bestStreak,
    comparedCubes: compared._count.f1,
    meanF1: compared._avg.f1,
    trailblazerCubes: trailblazer,
    inClass: user.membership !== null,
    competitionsPlayed: Number(competitions[0]?.n ?? 0),
  };
  const weekly = new Map(weeks.map((w) => [w.weekStart.getTime(), w]));
  return {
    // A student sees their nickname (their own page); the random username is never shown to anyone.
    displayName: user.membership?.nickname ?? user.username,
    isGuest: user.isGuest,
    role: user.role,
    points: user.points,
    cubes: stats.cubes,
    practiceCubes: stats.practiceCubes,
    streak: user.streak,
    bestStreak: user.bestStreak,
    accuracy: stats.meanF1,
    comparedCubes: stats.comparedCubes,
    level: levelFor(user.points),
    achievements: achievementsFor(stats),
    classroom: user.membership ? { id: user.membership.classroom.id, name: user.membership.classroom.name } : null,
    weeks: Array.from({ length: WEEKS_SHOWN }, (_, i) => {
      const start = new Date(firstWeek.getTime() + i * 7 * 86_400_000);
      const w = weekly.get(start.getTime());
      return { weekStart: start, points: w?.points ?? 0, cubes: w?.cubes ?? 0 };
    }),
    history: history.map((h) => ({
      taskId: h.taskId,
      neuronId: h.task.neuron.id,
      neuronName: h.task.neuron.name,
      practice: h.task.kind === "PRACTICE",
      points: h.points,
      accuracy: h.f1,
      createdAt: h.createdAt,
    })),
  };
}
