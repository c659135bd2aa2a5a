// Classrooms: teachers (and admins) manage their classes; anyone may join one with its code.
import { z } from "zod";
import {
  archiveClassroom,
  classroomDashboard,
  createClassroom,
  joinClassroom,
  listClassrooms,
  lookupClass,
  myClassroom,
  removeStudent,
  renameStudent,
  resetStudentSecret,
} from "@/server/services/classrooms";
import { playerProcedure, publicProcedure, router, teacherProcedure } from "../init";

const uuid = (what: string) => z.string().uuid(`${what} must be a UUID`);
export const secretInput = z.object({ kind: z.enum(["PIN", "PICTURE"]), value: z.string().max(100) });
const classInput = z.object({ classroomId: uuid("classroomId") });
const memberInput = classInput.extend({ memberId: uuid("memberId") });
const code = z.string().max(20);
const nickname = z.string().max(40);

const classSummary = z.object({
  id: z.string(),
  name: z.string(),
  joinCode: z.string(),
  archived: z.boolean(),
  students: z.number().int(),
  activeStudents: z.number().int(),
  points: z.number().int(),
  average: z.number(),
  createdAt: z.date(),
});

const dashboard = z.object({
  id: z.string(),
  name: z.string(),
  joinCode: z.string(),
  archived: z.boolean(),
  points: z.number().int(),
  activeStudents: z.number().int(),
  average: z.number(),
  days: z.array(z.string()),
  students: z.array(
    z.object({
      memberId: z.string(),
      nickname: z.string(),
      secretKind: z.enum(["PIN", "PICTURE"]),
      cubes: z.number().int(),
      points: z.number().int(),
      accuracy: z.number().nullable(),
      comparedCubes: z.number().int(),
      lastPlayedAt: z.date().nullable(),
      locked: z.boolean(),
      daily: z.array(z.object({ cubes: z.number().int(), points: z.number().int(), accuracy: z.number().nullable() })),
    }),
  ),
});

export const classroomRouter = router({
  create: teacherProcedure
    .input(z.object({ name: z.string().max(200) }))
    .output(z.object({ id: z.string(), name: z.string(), joinCode: z.string() }))
    .mutation(({ ctx, input }) => createClassroom(ctx.db, ctx.actor, input)),
  list: teacherProcedure.input(z.void()).output(z.array(classSummary)).query(({ ctx }) => listClassrooms(ctx.db, ctx.actor)),
  dashboard: teacherProcedure.input(classInput).output(dashboard).query(({ ctx, input }) => classroomDashboard(ctx.db, ctx.actor, input.classroomId)),
  resetSecret: teacherProcedure
    .input(memberInput.extend({ secret: secretInput }))
    .output(z.object({ memberId: z.string(), secretKind: z.enum(["PIN", "PICTURE"]) }))
    .mutation(({ ctx, input }) => resetStudentSecret(ctx.db, ctx.actor, input)),
  renameStudent: teacherProcedure
    .input(memberInput.extend({ nickname }))
    .output(z.object({ memberId: z.string(), nickname: z.string() }))
    .mutation(({ ctx, input }) => renameStudent(ctx.db, ctx.actor, input)),
  removeStudent: teacherProcedure.input(memberInput).output(z.object({ memberId: z.string() })).mutation(({ ctx, input }) => removeStudent(ctx.db, ctx.actor, input)),
  archive: teacherProcedure
    .input(classInput.extend({ archived: z.boolean() }))
    .output(z.object({ id: z.string(), archived: z.boolean() }))
    .mutation(({ ctx, input }) => archiveClassroom(ctx.db, ctx.actor, input)),
  /** Anyone: the class's name for a join code (shown before the student picks a nickname). */
  lookup: publicProcedure.input(z.object({ code })).output(z.object({ name: z.string(), archived: z.boolean() })).query(({ ctx, input }) => lookupClass(ctx.db, input.code)),
  /** Anyone: join as a new student (a guest's progress moves to the student account). Then sign in as "student". */
  join: publicProcedure
    .input(z.object({ code, nickname, secret: secretInput }))
    .output(z.object({ classroomId: z.string(), className: z.string(), nickname: z.string(), keptProgress: z.boolean() }))
    .mutation(({ ctx, input }) => joinClassroom(ctx.db, ctx.actor, input)),
  /** A student's own class (null for everyone else). */
  mine: playerProcedure
    .input(z.void())
    .output(z.object({ classroomId: z.string(), name: z.string(), nickname: z.string(), archived: z.boolean(), points: z.number().int(), cubes: z.number().int() }).nullable())
    .query(({ ctx }) => myClassroom(ctx.db, ctx.actor)),
});
