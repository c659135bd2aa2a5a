// Leaderboards: public ones (players who are not students, classes by name) and a class's own (members only).
import { z } from "zod";
import { classLeaderboard, classroomBoard, MAX_LEADERBOARD_ROWS, playerLeaderboard } from "@/server/services/leaderboards";
import { playerProcedure, publicProcedure, router } from "../init";

const period = z.enum(["ALL", "WEEK"]);
const limit = z.number().int().min(1).max(MAX_LEADERBOARD_ROWS).optional();

export const leaderboardRouter = router({
  players: publicProcedure
    .input(z.object({ period, limit }))
    .output(
      z.object({
        period,
        weekStart: z.date(),
        entries: z.array(z.object({ rank: z.number().int(), username: z.string(), points: z.number().int(), cubes: z.number().int().nullable(), level: z.number().int(), you: z.boolean() })),
        me: z.object({ rank: z.number().int(), points: z.number().int() }).nullable(),
      }),
    )
    .query(({ ctx, input }) => playerLeaderboard(ctx.db, ctx.actor, input)),
  classes: publicProcedure
    .input(z.object({ period, limit }))
    .output(
      z.object({
        period,
        weekStart: z.date(),
        entries: z.array(z.object({ rank: z.number().int(), classroomId: z.string(), name: z.string(), points: z.number().int(), activeStudents: z.number().int(), average: z.number().int() })),
      }),
    )
    .query(({ ctx, input }) => classLeaderboard(ctx.db, input)),
  /** A class's students (nicknames): its members, its teacher and admins only. */
  class: playerProcedure
    .input(z.object({ classroomId: z.string().uuid("classroomId must be a UUID"), period }))
    .output(
      z.object({
        classroomId: z.string(),
        name: z.string(),
        period,
        entries: z.array(z.object({ rank: z.number().int(), nickname: z.string(), points: z.number().int(), cubes: z.number().int(), you: z.boolean() })),
      }),
    )
    .query(({ ctx, input }) => classroomBoard(ctx.db, ctx.actor, input)),
});
