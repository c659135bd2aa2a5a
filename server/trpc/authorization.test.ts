// The authorization matrix: EVERY procedure of appRouter × every kind of caller. For each pair the table
// below says whether the call is allowed. An allowed call must succeed; a forbidden one must fail with
// FORBIDDEN (UNAUTHORIZED when nobody is signed in) and leave every stored row exactly as it was.
// A procedure added to the router without an entry here fails the first test, naming the procedure.
// Runs on PGlite, and on PostgreSQL when DATABASE_URL names one (a fresh database per test file).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/server/auth/password";
import { SAMPLE } from "@/server/cli/setup";
import type { Role } from "@/server/db/generated/enums";
import type { Actor } from "@/server/services/actor";
import { createCompetition } from "@/server/services/competitions";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { createApiToken } from "@/server/services/api-tokens";
import { addSeed, createCampaign } from "@/server/services/campaigns";
import { startNeuron } from "@/server/services/neurons";
import { createPracticeCubes } from "@/server/services/practice";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { assignTask } from "@/server/services/tasks";
import { submitTrace } from "@/server/services/traces";
import { readManifest } from "@/server/store/store";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { createCallerFactory } from "./init";
import { appRouter } from "./router";

const WHO = ["anonymous", "guest", "player", "student", "teacher", "researcher", "reviewer", "expert", "admin"] as const;
type Who = (typeof WHO)[number];
const EVERYONE: readonly Who[] = WHO;
const SIGNED_IN: readonly Who[] = WHO.filter((w) => w !== "anonymous");
const TEACHERS: readonly Who[] = ["teacher", "admin"];
const OVERRIDERS: readonly Who[] = ["reviewer", "expert", "admin"];

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;
/** What a case runs with: the caller, a fresh actor of its kind, and shared fixtures. */
type Ctx = { who: Who; actor: Actor | null };
type Entry = {
  allow: readonly Who[];
  /** Builds the input (and whatever it refers to) before the snapshot is taken. */
  prepare?: (c: Ctx) => Promise<unknown>;
  call: (api: Caller, input: unknown) => Promise<unknown>;
};

let t: TestDb;
let fx: {
  datasetId: string;
  neuronId: string;
  seed: { x: number; y: number; z: number };
  otherTeacher: Actor;
  otherClass: { id: string; joinCode: string };
  competition: { id: string; inviteCode: string };
  studentHash: string;
  practiceTaskId: string;
};
let n = 0;
const unique = (prefix: string) => `${prefix}${(++n).toString(36)}${randomUUID().slice(0, 4)}`;

const roleOf: Record<Exclude<Who, "anonymous" | "guest" | "student">, Role> = {
  player: "PLAYER",
  teacher: "TEACHER",
  researcher: "RESEARCHER",
  reviewer: "REVIEWER",
  expert: "EXPERT",
  admin: "ADMIN",
};

async function makeClass(teacherId: string) {
  return t.db.classroom.create({ data: { name: unique("Class "), teacherId, joinCode: unique("").toUpperCase().slice(0, 12) } });
}

async function makeStudent(classroomId: string) {
  const user = await t.db.user.create({ data: { username: unique("student-"), isStudent: true } });
  const nickname = unique("Kid ");
  const member = await t.db.classMember.create({
    data: { classroomId, userId: user.id, nickname, nicknameKey: nickname.toLowerCase(), secretKind: "PIN", secretHash: fx.studentHash },
  });
  return { user, member };
}

/** A fresh caller of each kind per case, so no case depends on what another did to its actor. */
async function freshActor(who: Who): Promise<Actor | null> {
  if (who === "anonymous") return null;
  if (who === "guest") {
    const u = await t.db.user.create({ data: { username: unique("guest-"), isGuest: true } });
    return { userId: u.id, username: u.username, role: u.role, isGuest: true };
  }
  if (who === "student") {
    const { user } = await makeStudent(fx.otherClass.id);
    return { userId: user.id, username: user.username, role: "PLAYER", isGuest: false };
  }
  const u = await t.db.user.create({ data: { username: unique(`${who}-`), role: roleOf[who] } });
  return { userId: u.id, username: u.username, role: u.role, isGuest: false };
}

/** A class the caller manages if they are a teacher (their own) or admin (someone else's); else someone else's. */
async function classFor(c: Ctx) {
  return c.who === "teacher" ? makeClass(c.actor!.userId) : makeClass(fx.otherTeacher.userId);
}
async function studentIn(c: Ctx) {
  const cls = await classFor(c);
  const { member } = await makeStudent(cls.id);
  return { classroomId: cls.id, memberId: member.id };
}
/** A class whose members the caller may see: a student's own, a teacher's own, any for others. */
async function visibleClassFor(c: Ctx) {
  if (c.who === "student") return (await t.db.classMember.findUniqueOrThrow({ where: { userId: c.actor!.userId } })).classroomId;
  return (await classFor(c)).id;
}

/** A campaign cube this caller traced (so trace.review has something to review). */
async function tracedCampaignTask(c: Ctx) {
  if (!c.actor) return (await t.db.task.findFirstOrThrow({ where: { kind: "CAMPAIGN" } })).id;
  const task = await assignTask(t.db, c.actor);
  expect(task, "the fixture campaign has room for every caller").not.toBeNull();
  await submitTrace(t.db, c.actor, { traceId: randomUUID(), taskId: task!.taskId, supervoxels: task!.seeds });
  return task!.taskId;
}

/** Campaigns and API tokens (issue #6): the caller's own if a researcher or admin, else a fixture researcher's. */
let campaignOwner: Actor | null = null;
async function researcherFor(c: Ctx): Promise<Actor> {
  if (c.who === "researcher" || c.who === "admin") return c.actor!;
  if (!campaignOwner) {
    const u = await t.db.user.create({ data: { username: unique("matrix-researcher-"), role: "RESEARCHER" } });
    campaignOwner = { userId: u.id, username: u.username, role: "RESEARCHER", isGuest: false };
  }
  return campaignOwner;
}
async function campaignFor(c: Ctx, seeded = false) {
  const owner = await researcherFor(c);
  const { id } = await createCampaign(t.db, owner, { name: unique("Campaign "), datasetId: fx.datasetId, minPlayers: 40, maxPlayers: 50, retireConfidence: 0.9 });
  const neuron = seeded ? await addSeed(t.db, owner, { campaignId: id, point: fx.seed }) : null;
  return { id, neuronId: neuron?.id ?? null };
}
const RESEARCHERS: readonly Who[] = ["researcher", "admin"];

const MATRIX: Record<string, Entry> = {
  "task.assign": { allow: SIGNED_IN, call: (api) => api.task.assign() },
  "trace.submit": {
    allow: SIGNED_IN,
    prepare: async (c) => {
      if (!c.actor) return { traceId: randomUUID(), taskId: fx.practiceTaskId, supervoxels: [] };
      const task = await assignTask(t.db, c.actor, { practice: true });
      return { traceId: randomUUID(), taskId: task!.taskId, supervoxels: task!.seeds };
    },
    call: (api, input) => api.trace.submit(input as never),
  },
  "trace.review": { allow: SIGNED_IN, prepare: async (c) => ({ taskId: await tracedCampaignTask(c) }), call: (api, input) => api.trace.review(input as never) },
  "review.override": {
    allow: OVERRIDERS,
    prepare: async () => {
      const neuron = await startNeuron(t.db, { datasetId: fx.datasetId, name: unique("Override "), seed: fx.seed, settings: { minPlayers: 40, maxPlayers: 50 } });
      const root = neuron.tasks[0]!;
      return { taskId: root.id, supervoxels: root.seeds, reason: "authorization matrix" };
    },
    call: (api, input) => api.review.override(input as never),
  },
  "review.audit": { allow: OVERRIDERS, call: (api) => api.review.audit({}) },
  "neuron.start": {
    allow: ["researcher", "admin"],
    prepare: async () => ({ datasetId: fx.datasetId, name: unique("Started "), seed: fx.seed, settings: { minPlayers: 40, maxPlayers: 50 } }),
    call: (api, input) => api.neuron.start(input as never),
  },
  "neuron.get": { allow: EVERYONE, call: (api) => api.neuron.get({ id: fx.neuronId }) },
  "neuron.list": { allow: EVERYONE, call: (api) => api.neuron.list() },
  "auth.signUp": { allow: EVERYONE, call: (api) => api.auth.signUp({ username: unique("user-"), password: "matrix-password-1" }) },
  "classroom.create": { allow: TEACHERS, call: (api) => api.classroom.create({ name: "Year 7 science" }) },
  "classroom.list": { allow: TEACHERS, call: (api) => api.classroom.list() },
  "classroom.dashboard": { allow: TEACHERS, prepare: async (c) => ({ classroomId: (await classFor(c)).id }), call: (api, input) => api.classroom.dashboard(input as never) },
  "classroom.resetSecret": {
    allow: TEACHERS,
    prepare: async (c) => ({ ...(await studentIn(c)), secret: { kind: "PICTURE", value: "heart,fish,sun" } }),
    call: (api, input) => api.classroom.resetSecret(input as never),
  },
  "classroom.renameStudent": {
    allow: TEACHERS,
    prepare: async (c) => ({ ...(await studentIn(c)), nickname: unique("Renamed ") }),
    call: (api, input) => api.classroom.renameStudent(input as never),
  },
  "classroom.removeStudent": { allow: TEACHERS, prepare: studentIn, call: (api, input) => api.classroom.removeStudent(input as never) },
  "classroom.archive": { allow: TEACHERS, prepare: async (c) => ({ classroomId: (await classFor(c)).id, archived: true }), call: (api, input) => api.classroom.archive(input as never) },
  "classroom.lookup": { allow: EVERYONE, call: (api) => api.classroom.lookup({ code: fx.otherClass.joinCode }) },
  "classroom.join": {
    allow: EVERYONE,
    call: (api) => api.classroom.join({ code: fx.otherClass.joinCode, nickname: unique("Newbie "), secret: { kind: "PIN", value: "2468" } }),
  },
  "classroom.mine": { allow: SIGNED_IN, call: (api) => api.classroom.mine() },
  "leaderboard.players": { allow: EVERYONE, call: (api) => api.leaderboard.players({ period: "ALL" }) },
  "leaderboard.classes": { allow: EVERYONE, call: (api) => api.leaderboard.classes({ period: "WEEK" }) },
  "leaderboard.class": {
    allow: ["student", "teacher", "admin"],
    prepare: async (c) => ({ classroomId: await visibleClassFor(c), period: "ALL" }),
    call: (api, input) => api.leaderboard.class(input as never),
  },
  "competition.create": {
    allow: TEACHERS,
    prepare: async (c) => ({ name: "Friday match", startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000), classroomIds: [(await classFor(c)).id] }),
    call: (api, input) => api.competition.create(input as never),
  },
  "competition.enter": {
    allow: TEACHERS,
    prepare: async (c) => ({ inviteCode: fx.competition.inviteCode, classroomId: (await classFor(c)).id }),
    call: (api, input) => api.competition.enter(input as never),
  },
  "competition.get": { allow: EVERYONE, call: (api) => api.competition.get({ id: fx.competition.id }) },
  "competition.list": { allow: EVERYONE, call: (api) => api.competition.list() },
  "profile.get": { allow: SIGNED_IN, call: (api) => api.profile.get() },
  "admin.setRole": {
    allow: ["admin"],
    prepare: async () => ({ username: (await t.db.user.create({ data: { username: unique("promote-") } })).username, role: "RESEARCHER" }),
    call: (api, input) => api.admin.setRole(input as never),
  },
  "me.get": { allow: SIGNED_IN, call: (api) => api.me.get() },
  "imports.start": {
    allow: ["researcher", "admin"],
    prepare: async () => ({ name: unique("Import "), source: { kind: "url", url: "https://data.example.org/em/image" }, license: "CC BY 4.0", attribution: "Example Lab" }),
    call: (api, input) => api.imports.start(input as never),
  },
  "imports.list": { allow: ["researcher", "admin"], call: (api) => api.imports.list() },
  "imports.get": {
    allow: ["researcher", "admin"],
    // the caller's own import (researchers see only theirs; admins everyone's)
    prepare: async (c) => ({ id: (await t.db.job.create({ data: { kind: "import", title: unique("Job "), ownerId: c.actor?.userId ?? null, payload: {} } })).id }),
    call: (api, input) => api.imports.get(input as never),
  },
  "campaign.datasets": { allow: RESEARCHERS, call: (api) => api.campaign.datasets() },
  "campaign.create": {
    allow: RESEARCHERS,
    call: (api) => api.campaign.create({ name: unique("New campaign "), datasetId: fx.datasetId, minPlayers: 3, maxPlayers: 6, retireConfidence: 0.9 }),
  },
  "campaign.list": { allow: RESEARCHERS, call: (api) => api.campaign.list() },
  "campaign.get": { allow: RESEARCHERS, prepare: async (c) => ({ id: (await campaignFor(c)).id }), call: (api, input) => api.campaign.get(input as never) },
  "campaign.updateSettings": {
    allow: RESEARCHERS,
    prepare: async (c) => ({ id: (await campaignFor(c, true)).id, minPlayers: 41, maxPlayers: 50, retireConfidence: 0.8 }),
    call: (api, input) => api.campaign.updateSettings(input as never),
  },
  "campaign.addSeed": {
    allow: RESEARCHERS,
    prepare: async (c) => ({ campaignId: (await campaignFor(c)).id, point: fx.seed }),
    call: (api, input) => api.campaign.addSeed(input as never),
  },
  "campaign.removeSeed": {
    allow: RESEARCHERS,
    prepare: async (c) => {
      const camp = await campaignFor(c, true);
      return { campaignId: camp.id, neuronId: camp.neuronId };
    },
    call: (api, input) => api.campaign.removeSeed(input as never),
  },
  "campaign.publish": { allow: RESEARCHERS, prepare: async (c) => ({ id: (await campaignFor(c, true)).id }), call: (api, input) => api.campaign.publish(input as never) },
  "campaign.stats": { allow: RESEARCHERS, prepare: async (c) => ({ id: (await campaignFor(c, true)).id }), call: (api, input) => api.campaign.stats(input as never) },
  "apiToken.create": { allow: RESEARCHERS, call: (api) => api.apiToken.create({ name: unique("script ") }) },
  "apiToken.list": { allow: RESEARCHERS, call: (api) => api.apiToken.list() },
  "apiToken.revoke": {
    allow: RESEARCHERS,
    prepare: async (c) => ({ id: (await createApiToken(t.db, await researcherFor(c), { name: unique("to revoke ") })).id }),
    call: (api, input) => api.apiToken.revoke(input as never),
  },
};

const procedures = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures).sort();

/** Changes whenever any stored row does: a checksum of every table's rows. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = await t.db.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const parts = tables.map((r) => `'${r.table_name}', (SELECT count(*)::text || ':' || md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) FROM "${r.table_name}" x)`);
  const rows = await t.db.$queryRawUnsafe<{ f: Record<string, string> }[]>(`SELECT json_build_object(${parts.join(", ")}) AS f`);
  return rows[0]!.f;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const { datasetId } = await registerDatasetIn(t.db, await readManifest(SAMPLE.slug));
  // One campaign neuron that wants many players, so every caller in the matrix can get its cube.
  const [neuron] = await seedDemoCampaign(t.db, datasetId, { neurons: 1, settings: { minPlayers: 40, maxPlayers: 50 } });
  const practice = await createPracticeCubes(t.db, datasetId, { count: 1 });
  const teacher = await t.db.user.create({ data: { username: "matrix-teacher", role: "TEACHER" } });
  const otherTeacher: Actor = { userId: teacher.id, username: teacher.username, role: "TEACHER", isGuest: false };
  const otherClass = await t.db.classroom.create({ data: { name: "Other class", teacherId: teacher.id, joinCode: "ACDF7Q" } });
  fx = {
    datasetId,
    neuronId: neuron!.id,
    seed: { x: neuron!.seedX, y: neuron!.seedY, z: neuron!.seedZ },
    otherTeacher,
    otherClass,
    competition: { id: "", inviteCode: "" },
    studentHash: await hashPassword("pin:1234"),
    practiceTaskId: practice[0]!.id,
  };
  fx.competition = await createCompetition(t.db, otherTeacher, { name: "Matrix cup", startsAt: new Date(), endsAt: new Date(Date.now() + 86_400_000), classroomIds: [otherClass.id] });
}, 300_000);
afterAll(async () => t?.drop());

describe("authorization matrix", () => {
  it("has an entry for every procedure of the router, and none for a procedure that is gone", () => {
    const missing = procedures.filter((p) => !(p in MATRIX));
    const stale = Object.keys(MATRIX).filter((p) => !procedures.includes(p));
    expect(missing, `procedures without an entry in server/trpc/authorization.test.ts MATRIX: ${missing.join(", ")}`).toEqual([]);
    expect(stale, `MATRIX entries for procedures the router no longer has: ${stale.join(", ")}`).toEqual([]);
  });

  it("notices any change of stored data (the check below can fail)", async () => {
    const before = await fingerprint();
    await t.db.classroom.update({ where: { id: fx.otherClass.id }, data: { name: "Other class!" } });
    expect(await fingerprint()).not.toEqual(before);
    await t.db.classroom.update({ where: { id: fx.otherClass.id }, data: { name: "Other class" } });
    expect(await fingerprint()).toEqual(before);
  });

  const cases = procedures.flatMap((path) => WHO.map((who) => [path, who] as const));
  it.each(cases)("%s as %s", async (path, who) => {
    const entry = MATRIX[path];
    if (!entry) throw new Error(`no MATRIX entry for ${path}`);
    const actor = await freshActor(who);
    const ctx = { who, actor };
    const input = entry.prepare ? await entry.prepare(ctx) : undefined;
    const api = createCaller({ db: t.db, dbKind: t.kind, actor });
    if (entry.allow.includes(who)) {
      await entry.call(api, input).catch((e: { code?: string; message?: string }) => {
        throw new Error(`${path} must be allowed for ${who}, but failed with ${e.code}: ${e.message}`);
      });
      return;
    }
    const before = await fingerprint();
    const err = await entry.call(api, input).then(
      () => null,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(err, `${path} must be refused for ${who}`).not.toBeNull();
    expect(err!.code, `${path} as ${who}: ${err!.message}`).toBe(who === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN");
    expect(await fingerprint(), `${path} as ${who} changed stored data although it was refused`).toEqual(before);
  });
});
