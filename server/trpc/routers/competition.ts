// Competitions between classes: teachers and admins schedule them; anyone sees the standings (classes only).
import { z } from "zod";
import { createCompetition, enterCompetition, getCompetition, listCompetitions } from "@/server/services/competitions";
import { publicProcedure, router, teacherProcedure } from "../init";

const status = z.enum(["SCHEDULED", "LIVE", "FINISHED"]);

export const competitionRouter = router({
  create: teacherProcedure
    .input(z.object({ name: z.string().max(200), startsAt: z.coerce.date(), endsAt: z.coerce.date(), classroomIds: z.array(z.string().uuid("class ids are UUIDs")).min(1).max(50) }))
    .output(z.object({ id: z.string(), inviteCode: z.string() }))
    .mutation(({ ctx, input }) => createCompetition(ctx.db, ctx.actor, input)),
  enter: teacherProcedure
    .input(z.object({ inviteCode: z.string().max(20), classroomId: z.string().uuid("classroomId must be a UUID") }))
    .output(z.object({ competitionId: z.string(), name: z.string() }))
    .mutation(({ ctx, input }) => enterCompetition(ctx.db, ctx.actor, input)),
  get: publicProcedure
    .input(z.object({ id: z.string().uuid("competition id must be a UUID") }))
    .output(
      z.object({
        id: z.string(),
        name: z.string(),
        startsAt: z.date(),
        endsAt: z.date(),
        status,
        now: z.date(),
        inviteCode: z.string().nullable(),
        myClassroomIds: z.array(z.string()),
        standings: z.array(z.object({ rank: z.number().int(), classroomId: z.string(), name: z.string(), points: z.number().int(), activeStudents: z.number().int(), average: z.number().int() })),
      }),
    )
    .query(({ ctx, input }) => getCompetition(ctx.db, ctx.actor, input.id)),
  list: publicProcedure
    .input(z.void())
    .output(z.array(z.object({ id: z.string(), name: z.string(), startsAt: z.date(), endsAt: z.date(), status, classes: z.number().int(), mine: z.boolean() })))
    .query(({ ctx }) => listCompetitions(ctx.db, ctx.actor)),
});
