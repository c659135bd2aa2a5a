// Classrooms, leaderboards and competitions through the real services (and the trace trigger) on a real
// database: PGlite, or PostgreSQL when DATABASE_URL names one.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE } from "@/server/cli/setup";
import { readManifest } from "@/server/store/store";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";
import { weekStart } from "@/core/week";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import type { Actor } from "./actor";
import {
  archiveClassroom,
  classroomDashboard,
  createClassroom,
  joinClassroom,
  lookupClass,
  removeStudent,
  renameStudent,
  resetStudentSecret,
  studentSignIn,
} from "./classrooms";
import { createCompetition, enterCompetition, getCompetition, listCompetitions } from "./competitions";
import { seedDemoCampaign } from "./demo-campaign";
import { classLeaderboard, classroomBoard, playerLeaderboard } from "./leaderboards";
import { playerProfile } from "./player-profile";
import { createPracticeCubes } from "./practice";
import { registerDatasetIn } from "./register-dataset";
import { assignTask } from "./tasks";
import { submitTrace } from "./traces";
import { createGuest, signUp } from "./users";

let t: TestDb;
let taskIds: string[] = [];
const caller = (actor: Actor | null) => createCallerFactory(appRouter)({ db: t.db, dbKind: t.kind, actor });

async function teacher(name: string): Promise<Actor> {
  return signUp(t.db, { username: name, password: "teaching-is-fun", teacher: true }, null);
}

async function actorOf(userId: string): Promise<Actor> {
  const u = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
  return { userId: u.id, username: u.username, role: u.role, isGuest: u.isGuest };
}

/** A stored trace worth `points` (the trigger does the rest), on a task the user has not traced. */
async function scoreTrace(userId: string, points: number, at?: Date) {
  const used = new Set((await t.db.trace.findMany({ where: { userId }, select: { taskId: true } })).map((x) => x.taskId));
  const taskId = taskIds.find((id) => !used.has(id))!;
  await t.db.trace.create({ data: { id: randomUUID(), taskId, userId, supervoxels: [], points, f1: 0.9, result: {}, ...(at ? { createdAt: at } : {}) } });
  await t.db.user.update({ where: { id: userId }, data: { points: { increment: points } } }); // as the scoring services do
}

/** The practice cube's true answer: a submission that earns points. */
async function answerOf(taskId: string) {
  return (await t.db.task.findUniqueOrThrow({ where: { id: taskId } })).answer;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const { datasetId } = await registerDatasetIn(t.db, await readManifest(SAMPLE.slug));
  await seedDemoCampaign(t.db, datasetId, { neurons: 1, settings: { minPlayers: 40, maxPlayers: 50 } });
  await createPracticeCubes(t.db, datasetId, { count: 1 });
  // Extra cubes to hang test traces on (one trace per player and cube).
  const root = await t.db.task.findFirstOrThrow({ where: { kind: "CAMPAIGN" } });
  const { id: _id, gridX: _x, gridY: _y, gridZ: _z, createdAt: _c, retiredAt: _r, exits: _e, ...copy } = root;
  for (let i = 0; i < 6; i++) await t.db.task.create({ data: { ...copy, status: "RETIRED" } });
  taskIds = (await t.db.task.findMany({ where: { status: "RETIRED" }, select: { id: true } })).map((x) => x.id);
}, 300_000);
afterAll(async () => t?.drop());

describe("joining a class", () => {
  it("gives a readable code; students join with a nickname and PIN or pictures, and no email anywhere", async () => {
    const ms = await teacher("ms-frizzle");
    const cls = await createClassroom(t.db, ms, { name: "  Year 7   Science " });
    expect(cls.name).toBe("Year 7 Science");
    expect(cls.joinCode).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{6}$/);
    expect(await lookupClass(t.db, `${cls.joinCode.slice(0, 3)}-${cls.joinCode.slice(3).toLowerCase()}`)).toEqual({ name: "Year 7 Science", archived: false });

    const a = await joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Arnold", secret: { kind: "PIN", value: "4821" } });
    const b = await joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Wanda", secret: { kind: "PICTURE", value: "tree,fish,tree" } });
    expect(a).toMatchObject({ className: "Year 7 Science", nickname: "Arnold", keptProgress: false });
    expect(b.nickname).toBe("Wanda");
    await expect(joinClassroom(t.db, null, { code: cls.joinCode, nickname: "arnold", secret: { kind: "PIN", value: "1111" } })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Carlos", secret: { kind: "PIN", value: "12" } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(joinClassroom(t.db, null, { code: "AAAAAA", nickname: "Carlos", secret: { kind: "PIN", value: "1234" } })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Signing in: the right secret of the right kind only; the nickname is case-insensitive.
    const arnold = await studentSignIn(t.db, { code: cls.joinCode.toLowerCase(), nickname: "ARNOLD", secret: { kind: "PIN", value: "4821" } });
    expect(arnold?.nickname).toBe("Arnold");
    expect(await studentSignIn(t.db, { code: cls.joinCode, nickname: "Arnold", secret: { kind: "PIN", value: "4822" } })).toBeNull();
    expect(await studentSignIn(t.db, { code: cls.joinCode, nickname: "Wanda", secret: { kind: "PICTURE", value: "tree,fish,tree" } })).not.toBeNull();
    expect(await studentSignIn(t.db, { code: cls.joinCode, nickname: "Wanda", secret: { kind: "PICTURE", value: "fish,tree,tree" } })).toBeNull();

    // The student's account carries no nickname and no email: a random username, no password.
    const user = await t.db.user.findUniqueOrThrow({ where: { id: arnold!.userId } });
    expect(user.username).toMatch(/^student-[0-9a-f]{12}$/);
    expect(user.passwordHash).toBeNull();
    expect(user.isStudent).toBe(true);
    const columns = await t.db.$queryRaw<{ column_name: string }[]>`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()`;
    expect(columns.filter((c) => /mail/i.test(c.column_name))).toEqual([]);
    // The secret is stored as an Argon2id hash, never as typed.
    const member = await t.db.classMember.findUniqueOrThrow({ where: { userId: arnold!.userId } });
    expect(member.secretHash).toMatch(/^\$argon2id\$/);
    expect(member.secretHash).not.toContain("4821");
  });

  it("locks a student out after 5 wrong tries until the teacher resets the secret", async () => {
    const ms = await teacher("mr-ray");
    const cls = await createClassroom(t.db, ms, { name: "Lockout class" });
    await joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Tim", secret: { kind: "PIN", value: "1357" } });
    for (let i = 0; i < 5; i++) expect(await studentSignIn(t.db, { code: cls.joinCode, nickname: "Tim", secret: { kind: "PIN", value: "0000" } })).toBeNull();
    expect(await studentSignIn(t.db, { code: cls.joinCode, nickname: "Tim", secret: { kind: "PIN", value: "1357" } })).toMatchObject({ locked: true });
    const dash = await classroomDashboard(t.db, ms, cls.id);
    expect(dash.students[0]).toMatchObject({ nickname: "Tim", locked: true });
    await resetStudentSecret(t.db, ms, { classroomId: cls.id, memberId: dash.students[0]!.memberId, secret: { kind: "PICTURE", value: "sun,moon,star" } });
    expect(await studentSignIn(t.db, { code: cls.joinCode, nickname: "Tim", secret: { kind: "PIN", value: "1357" } })).toBeNull();
    const ok = await studentSignIn(t.db, { code: cls.joinCode, nickname: "Tim", secret: { kind: "PICTURE", value: "sun,moon,star" } });
    expect(ok).not.toBeNull();
    expect(ok!.locked).toBeUndefined();
    // And later, once the lock time is over, the right secret works again without a reset.
    for (let i = 0; i < 5; i++) await studentSignIn(t.db, { code: cls.joinCode, nickname: "Tim", secret: { kind: "PIN", value: "9999" } });
    const later = new Date(Date.now() + 11 * 60_000);
    expect(await studentSignIn(t.db, { code: cls.joinCode, nickname: "Tim", secret: { kind: "PICTURE", value: "sun,moon,star" } }, later)).toMatchObject({ nickname: "Tim" });
  });

  it("lets a guest join without losing progress: their account becomes the student's", async () => {
    const ms = await teacher("ms-guest");
    const cls = await createClassroom(t.db, ms, { name: "Guests welcome" });
    const guest = await createGuest(t.db);
    const task = (await assignTask(t.db, guest, { practice: true }))!;
    const played = await submitTrace(t.db, guest, { traceId: randomUUID(), taskId: task.taskId, supervoxels: task.seeds });
    const joined = await caller(guest).classroom.join({ code: cls.joinCode, nickname: "Former guest", secret: { kind: "PIN", value: "8642" } });
    expect(joined.keptProgress).toBe(true);
    const u = await t.db.user.findUniqueOrThrow({ where: { id: guest.userId }, include: { _count: { select: { traces: true } } } });
    expect(u).toMatchObject({ isGuest: false, isStudent: true, points: played.points });
    expect(u._count.traces).toBe(1);
    expect((await studentSignIn(t.db, { code: cls.joinCode, nickname: "former guest", secret: { kind: "PIN", value: "8642" } }))?.userId).toBe(guest.userId);
  });

  it("refuses joins to an archived class and another teacher's changes", async () => {
    const owner = await teacher("owner-t");
    const other = await teacher("other-t");
    const cls = await createClassroom(t.db, owner, { name: "Archived soon" });
    await joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Pat", secret: { kind: "PIN", value: "1234" } });
    const member = await t.db.classMember.findFirstOrThrow({ where: { classroomId: cls.id } });
    await expect(renameStudent(t.db, other, { classroomId: cls.id, memberId: member.id, nickname: "Hacked" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(removeStudent(t.db, other, { classroomId: cls.id, memberId: member.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(classroomDashboard(t.db, other, cls.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(archiveClassroom(t.db, other, { classroomId: cls.id, archived: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await t.db.classMember.findUniqueOrThrow({ where: { id: member.id } })).nickname).toBe("Pat");

    expect(await archiveClassroom(t.db, owner, { classroomId: cls.id, archived: true })).toEqual({ id: cls.id, archived: true });
    await expect(joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Late", secret: { kind: "PIN", value: "1234" } })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await archiveClassroom(t.db, owner, { classroomId: cls.id, archived: false })).toEqual({ id: cls.id, archived: false });
  });
});

describe("scores, the dashboard and leaderboards", () => {
  it("counts a student's real submission in the class, the week and the dashboard", async () => {
    const ms = await teacher("ms-real");
    const cls = await createClassroom(t.db, ms, { name: "Real play" });
    const j = await joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Player One", secret: { kind: "PIN", value: "1234" } });
    const userId = (await t.db.classMember.findFirstOrThrow({ where: { classroomId: j.classroomId } })).userId;
    const student = await actorOf(userId);
    const task = (await assignTask(t.db, student, { practice: true }))!;
    const result = await submitTrace(t.db, student, { traceId: randomUUID(), taskId: task.taskId, supervoxels: await answerOf(task.taskId) });
    expect(result.points).toBeGreaterThan(0);
    const c = await t.db.classroom.findUniqueOrThrow({ where: { id: cls.id } });
    expect(c).toMatchObject({ points: result.points, activeStudents: 1, average: result.points });
    const week = await t.db.classWeeklyScore.findUniqueOrThrow({ where: { weekStart_classroomId: { weekStart: weekStart(new Date()), classroomId: cls.id } } });
    expect(week).toMatchObject({ points: result.points, activeStudents: 1 });
    const dash = await classroomDashboard(t.db, ms, cls.id);
    expect(dash.students).toHaveLength(1);
    expect(dash.students[0]).toMatchObject({ nickname: "Player One", cubes: 1, points: result.points });
    expect(dash.students[0]!.accuracy).toBeCloseTo(result.comparison!.f1);
    expect(dash.days).toHaveLength(30);
    expect(dash.students[0]!.daily.at(-1)).toMatchObject({ cubes: 1, points: result.points });
    expect(dash.students[0]!.daily.slice(0, -1).every((d) => d.cubes === 0)).toBe(true);
  });

  it("ranks classes by average points per active student, and keeps nicknames off public boards", async () => {
    const ms = await teacher("ms-board");
    const big = await createClassroom(t.db, ms, { name: "Big class" });
    const small = await createClassroom(t.db, ms, { name: "Small class" });
    const ids: Record<string, string> = {};
    for (const [cls, nick] of [[big, "Ann"], [big, "Ben"], [big, "Cat"], [big, "Dan"], [small, "Eve"]] as const) {
      await joinClassroom(t.db, null, { code: cls.joinCode, nickname: nick, secret: { kind: "PIN", value: "1234" } });
      ids[nick] = (await t.db.classMember.findFirstOrThrow({ where: { classroomId: cls.id, nickname: nick } })).userId;
    }
    // Big: 3 active students with 300 each (Dan never plays) → 900 points, average 300.
    // Small: 1 active student with 400 → 400 points, average 400: the small class ranks first.
    for (const nick of ["Ann", "Ben", "Cat"]) await scoreTrace(ids[nick]!, 300);
    await scoreTrace(ids.Eve!, 150);
    await scoreTrace(ids.Eve!, 250);
    // A non-student player with many points.
    const adult = await signUp(t.db, { username: "adult-player", password: "long-password" }, null);
    await scoreTrace(adult.userId, 5000);

    for (const period of ["ALL", "WEEK"] as const) {
      const board = await classLeaderboard(t.db, { period });
      const mine = board.entries.filter((e) => e.name === "Big class" || e.name === "Small class");
      expect(mine.map((e) => [e.name, e.points, e.activeStudents, e.average])).toEqual([
        ["Small class", 400, 1, 400],
        ["Big class", 900, 3, 300],
      ]);
      expect(mine[0]!.rank).toBeLessThan(mine[1]!.rank);
      const players = await playerLeaderboard(t.db, adult, { period, limit: 100 });
      expect(players.entries.map((e) => e.username)).toContain("adult-player");
      expect(players.entries.every((e) => !e.username.startsWith("student-"))).toBe(true);
      expect(players.me).toMatchObject({ rank: players.entries.find((e) => e.you)!.rank, points: 5000 });
      expect(JSON.stringify(players)).not.toMatch(/Ann|Ben|Eve/);
    }

    // The class board shows nicknames to the class only.
    const ann = await actorOf(ids.Ann!);
    const board = await classroomBoard(t.db, ann, { classroomId: big.id, period: "ALL" });
    expect(board.entries.map((e) => [e.nickname, e.points, e.rank])).toEqual([
      ["Ann", 300, 1],
      ["Ben", 300, 1],
      ["Cat", 300, 1],
      ["Dan", 0, 4],
    ]);
    expect(board.entries.find((e) => e.you)?.nickname).toBe("Ann");
    await expect(classroomBoard(t.db, await actorOf(ids.Eve!), { classroomId: big.id, period: "ALL" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(classroomBoard(t.db, adult, { classroomId: big.id, period: "ALL" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await classroomBoard(t.db, ms, { classroomId: big.id, period: "WEEK" })).entries.map((e) => e.points)).toEqual([300, 300, 300, 0]);

    // Removing a student takes what they earned in the class out of its totals.
    const dan = await t.db.classMember.findUniqueOrThrow({ where: { userId: ids.Dan! } });
    const ann2 = await t.db.classMember.findUniqueOrThrow({ where: { userId: ids.Ann! } });
    await removeStudent(t.db, ms, { classroomId: big.id, memberId: dan.id });
    expect(await t.db.classroom.findUniqueOrThrow({ where: { id: big.id } })).toMatchObject({ points: 900, activeStudents: 3, average: 300 });
    await removeStudent(t.db, ms, { classroomId: big.id, memberId: ann2.id });
    expect(await t.db.classroom.findUniqueOrThrow({ where: { id: big.id } })).toMatchObject({ points: 600, activeStudents: 2, average: 300 });
    const w = await t.db.classWeeklyScore.findUniqueOrThrow({ where: { weekStart_classroomId: { weekStart: weekStart(new Date()), classroomId: big.id } } });
    expect(w).toMatchObject({ points: 600, activeStudents: 2, average: 300 });
    // The removed student can no longer sign in; their traces stay with the neurons.
    expect(await studentSignIn(t.db, { code: big.joinCode, nickname: "Ann", secret: { kind: "PIN", value: "1234" } })).toBeNull();
    expect(await t.db.trace.count({ where: { userId: ids.Ann! } })).toBe(1);
  });

  it("keeps the trigger's totals equal to the traces when points change or traces go", async () => {
    const ms = await teacher("ms-trigger");
    const cls = await createClassroom(t.db, ms, { name: "Trigger class" });
    await joinClassroom(t.db, null, { code: cls.joinCode, nickname: "Zed", secret: { kind: "PIN", value: "1234" } });
    const m = await t.db.classMember.findFirstOrThrow({ where: { classroomId: cls.id } });
    await scoreTrace(m.userId, 100);
    await scoreTrace(m.userId, 50);
    const [first] = await t.db.trace.findMany({ where: { userId: m.userId }, orderBy: { points: "desc" } });
    await t.db.trace.update({ where: { id: first!.id }, data: { points: 130 } });
    expect(await t.db.classMember.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ points: 180, cubes: 2, weekPoints: 180, weekCubes: 2 });
    await t.db.trace.deleteMany({ where: { userId: m.userId } });
    expect(await t.db.classMember.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ points: 0, cubes: 0, weekCubes: 0 });
    expect(await t.db.classroom.findUniqueOrThrow({ where: { id: cls.id } })).toMatchObject({ points: 0, activeStudents: 0, average: 0 });
    expect(await t.db.weeklyScore.findUniqueOrThrow({ where: { weekStart_userId: { weekStart: weekStart(new Date()), userId: m.userId } } })).toMatchObject({ points: 0, cubes: 0 });
  });
});

describe("competitions", () => {
  it("ranks classes by average per active student in the window, live, then frozen", async () => {
    const a = await teacher("coach-a");
    const b = await teacher("coach-b");
    const red = await createClassroom(t.db, a, { name: "Red team" });
    const blue = await createClassroom(t.db, b, { name: "Blue team" });
    const uid: Record<string, string> = {};
    for (const [cls, nick] of [[red, "R1"], [red, "R2"], [red, "R3"], [blue, "B1"]] as const) {
      await joinClassroom(t.db, null, { code: cls.joinCode, nickname: nick, secret: { kind: "PIN", value: "1234" } });
      uid[nick] = (await t.db.classMember.findFirstOrThrow({ where: { classroomId: cls.id, nickname: nick } })).userId;
    }
    const start = new Date(Date.now() - 60_000);
    const end = new Date(Date.now() + 3_600_000);
    // A teacher may put only their own classes in; the other class enters with the invite code.
    await expect(createCompetition(t.db, a, { name: "Cup", startsAt: start, endsAt: end, classroomIds: [red.id, blue.id] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCompetition(t.db, a, { name: "Cup", startsAt: end, endsAt: start, classroomIds: [red.id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const comp = await createCompetition(t.db, a, { name: "Cup", startsAt: start, endsAt: end, classroomIds: [red.id] });
    await expect(enterCompetition(t.db, b, { inviteCode: comp.inviteCode, classroomId: red.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await enterCompetition(t.db, b, { inviteCode: comp.inviteCode.toLowerCase(), classroomId: blue.id });

    await scoreTrace(uid.R1!, 999, new Date(start.getTime() - 3_600_000)); // before the match: does not count
    await scoreTrace(uid.R1!, 200);
    await scoreTrace(uid.R2!, 400); // Red: 600 by 2 active (R3 idle) → 300
    await scoreTrace(uid.B1!, 350); // Blue: 350 by 1 → 350
    const live = await getCompetition(t.db, null, comp.id);
    expect(live.status).toBe("LIVE");
    expect(live.inviteCode).toBeNull(); // only its creator and admins see the code
    expect(live.standings.map((s) => [s.rank, s.name, s.points, s.activeStudents, s.average])).toEqual([
      [1, "Blue team", 350, 1, 350],
      [2, "Red team", 600, 2, 300],
    ]);
    expect(JSON.stringify(live)).not.toMatch(/R1|R2|B1/);
    expect((await getCompetition(t.db, a, comp.id)).inviteCode).toBe(comp.inviteCode);
    expect((await listCompetitions(t.db, b)).find((c) => c.id === comp.id)).toMatchObject({ status: "LIVE", classes: 2, mine: true });

    // R3 plays: Red 1100 by 3 → 367 ranks first.
    await scoreTrace(uid.R3!, 500);
    expect((await getCompetition(t.db, null, comp.id)).standings[0]).toMatchObject({ name: "Red team", average: 367 });

    // After the end: frozen. Later play no longer changes the result.
    const after = new Date(end.getTime() + 1000);
    const final = await getCompetition(t.db, null, comp.id, after);
    expect(final.status).toBe("FINISHED");
    expect((await t.db.competition.findUniqueOrThrow({ where: { id: comp.id } })).finalizedAt).not.toBeNull();
    await t.db.trace.updateMany({ where: { userId: uid.B1! }, data: { points: 5000 } });
    expect((await getCompetition(t.db, null, comp.id, after)).standings).toEqual(final.standings);
    await expect(enterCompetition(t.db, a, { inviteCode: comp.inviteCode, classroomId: red.id }, after)).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("profile", () => {
  it("shows level, achievements and history from the player's real cubes", async () => {
    const p = await signUp(t.db, { username: "profile-player", password: "long-password" }, null);
    const fresh = await playerProfile(t.db, p);
    expect(fresh).toMatchObject({ cubes: 0, points: 0, level: { level: 1 } });
    expect(fresh.achievements.filter((a) => a.earned)).toEqual([]);
    const task = (await assignTask(t.db, p, { practice: true }))!;
    const r = await submitTrace(t.db, p, { traceId: randomUUID(), taskId: task.taskId, supervoxels: await answerOf(task.taskId) });
    expect(r.points).toBeGreaterThan(0);
    const after = await playerProfile(t.db, p);
    expect(after.cubes).toBe(1);
    expect(after.points).toBe(r.points);
    expect(after.history).toHaveLength(1);
    expect(after.history[0]).toMatchObject({ taskId: task.taskId, practice: true, points: r.points });
    expect(after.achievements.find((a) => a.id === "first-cube")?.earned).toBe(true);
    expect(after.weeks.at(-1)).toMatchObject({ points: r.points, cubes: 1 });
  });
});
