// The player's profile: level, achievements, history and accuracy. Admin: roles.
import { z } from "zod";
import { setRole } from "@/server/services/admin";
import { playerProfile } from "@/server/services/player-profile";
import { adminProcedure, playerProcedure, router } from "../init";

const role = z.enum(["PLAYER", "TEACHER", "RESEARCHER", "REVIEWER", "EXPERT", "ADMIN"]);

export const profileRouter = router({
  get: playerProcedure
    .input(z.void())
    .output(
      z.object({
        displayName: z.string(),
        isGuest: z.boolean(),
        role,
        points: z.number().int(),
        cubes: z.number().int(),
        practiceCubes: z.number().int(),
        streak: z.number().int(),
        bestStreak: z.number().int(),
        accuracy: z.number().nullable(),
        comparedCubes: z.number().int(),
        level: z.object({ level: z.number().int(), name: z.string(), points: z.number(), floor: z.number(), next: z.number(), progress: z.number() }),
        achievements: z.array(z.object({ id: z.string(), title: z.string(), description: z.string(), earned: z.boolean(), progress: z.number() })),
        classroom: z.object({ id: z.string(), name: z.string() }).nullable(),
        weeks: z.array(z.object({ weekStart: z.date(), points: z.number().int(), cubes: z.number().int() })),
        history: z.array(
          z.object({ taskId: z.string(), neuronId: z.string(), neuronName: z.string(), practice: z.boolean(), points: z.number().int(), accuracy: z.number().nullable(), createdAt: z.date() }),
        ),
      }),
    )
    .query(({ ctx }) => playerProfile(ctx.db, ctx.actor)),
});

export const adminRouter = router({
  setRole: adminProcedure
    .input(z.object({ username: z.string().max(64), role }))
    .output(z.object({ username: z.string(), role }))
    .mutation(({ ctx, input }) => setRole(ctx.db, ctx.actor, input)),
});
