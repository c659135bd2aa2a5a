// Security on a real database (PGlite, or PostgreSQL when DATABASE_URL names one): rate limits shared
// through the RateLimit table, tRPC 429s, removed students losing their session, password rules at sign-up,
// and no student nickname in any public procedure's output.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFromUserId } from "@/server/auth/options";
import { SAMPLE } from "@/server/cli/setup";
import type { Actor } from "@/server/services/actor";
import { createClassroom, joinClassroom, removeStudent } from "@/server/services/classrooms";
import { createCompetition } from "@/server/services/competitions";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { createGuest, signUp } from "@/server/services/users";
import { readManifest } from "@/server/store/store";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { enforce, hit, RateLimitedError, RULES, sweep } from "./rate-limit";
import { limitSignIn } from "./auth-limits";

let t: TestDb;
let ids: { dataset: string; neuron: string };
const createCaller = createCallerFactory(appRouter);

beforeAll(async () => {
  t = await createTestDatabase();
  const { datasetId } = await registerDatasetIn(t.db, await readManifest(SAMPLE.slug));
  const [neuron] = await seedDemoCampaign(t.db, datasetId, { neurons: 1 });
  ids = { dataset: datasetId, neuron: neuron!.id };
});
afterAll(async () => t?.drop());

describe("rate-limit counters", () => {
  it("count hits per window atomically, refuse over the limit with a Retry-After, and restart in the next window", async () => {
    const rule = { name: "t-basic", limit: 3, windowS: 60 };
    const now = new Date("2026-11-24T10:00:10Z");
    // Ten hits at once from (as it were) several instances: every count from 1 to 10 exactly once.
    const counts = await Promise.all(Array.from({ length: 10 }, () => hit(t.db, rule, "k", now)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(counts[0]!.retryAfterS).toBe(50);

    const rule2 = { name: "t-enforce", limit: 2, windowS: 60 };
    await enforce(t.db, [{ rule: rule2, subject: "a" }], now, 1);
    await enforce(t.db, [{ rule: rule2, subject: "a" }], now, 1);
    const err = await enforce(t.db, [{ rule: rule2, subject: "a" }], now, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterS).toBe(50);
    expect((err as RateLimitedError).message).toMatch(/try again in 50 s/);
    // Another subject has its own counter; the scale raises limits (load tests).
    await enforce(t.db, [{ rule: rule2, subject: "b" }], now, 1);
    await enforce(t.db, [{ rule: rule2, subject: "a" }], now, 10);
    // The next window starts from 1 again; an older window (a lagging clock) never moves it back.
    await enforce(t.db, [{ rule: rule2, subject: "a" }], new Date("2026-11-24T10:01:05Z"), 1);
    expect((await hit(t.db, rule2, "a", new Date("2026-11-24T10:00:30Z"))).count).toBe(2);
    expect((await t.db.rateLimit.findUnique({ where: { key: "t-enforce:a" } }))!.windowStart.toISOString()).toBe("2026-11-24T10:01:00.000Z");
    // Old counters are swept.
    expect(await sweep(t.db, new Date("2026-11-26T00:00:00Z"))).toBeGreaterThanOrEqual(3);
  });

  it("tRPC: trace submissions over the per-account limit get TOO_MANY_REQUESTS; in-process callers (no client) are not limited", async () => {
    const player = await createGuest(t.db);
    const http = createCaller({ db: t.db, dbKind: t.kind, actor: player, client: { ip: "203.0.113.7" } });
    const input = { traceId: randomUUID(), taskId: randomUUID(), supervoxels: [1] };
    for (let i = 0; i < RULES.submitAccount.limit; i++) await expect(http.trace.submit(input)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(http.trace.submit(input)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/Too many attempts: try again in \d+ s/) });
    const inProcess = createCaller({ db: t.db, dbKind: t.kind, actor: player });
    await expect(inProcess.trace.submit(input)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Another player from the same address is still served.
    const other = createCaller({ db: t.db, dbKind: t.kind, actor: await createGuest(t.db), client: { ip: "203.0.113.7" } });
    await expect(other.trace.submit(input)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("tRPC: sign-ups and class-code lookups are limited per address", async () => {
    const ip = "198.51.100.9";
    const api = createCaller({ db: t.db, dbKind: t.kind, actor: null, client: { ip } });
    for (let i = 0; i < RULES.joinIp.limit; i++) await expect(api.classroom.lookup({ code: "AAAAAA" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.classroom.lookup({ code: "AAAAAA" })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(api.classroom.join({ code: "AAAAAA", nickname: "Someone", secret: { kind: "PIN", value: "1234" } })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    for (let i = 0; i < RULES.signUpIp.limit; i++) await expect(api.auth.signUp({ username: "x", password: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.auth.signUp({ username: `ok-${i36()}`, password: "a-Long-enough-passphrase" })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // An untrusted address (ip null) skips per-address limits.
    const noIp = createCaller({ db: t.db, dbKind: t.kind, actor: null, client: { ip: null } });
    await expect(noIp.classroom.lookup({ code: "AAAAAA" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("next-auth sign-in: per-username limit answers 429 with Retry-After and a body next-auth's client reads", async () => {
    const post = (user: string) =>
      new Request("http://localhost/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: user, password: "wrong-password", csrfToken: "x" }),
      });
    for (let i = 0; i < RULES.signInAccount.limit; i++) expect(await limitSignIn(post("Victim"), async () => t.db)).toBeNull();
    const refused = await limitSignIn(post("victim"), async () => t.db); // the same account, any case
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get("Retry-After"))).toBeGreaterThan(0);
    const body = (await refused!.json()) as { url: string; error: string };
    expect(new URL(body.url).searchParams.get("error")).toBe("TooManyAttempts");
    expect(body.error).toMatch(/Too many attempts/);
    expect(await limitSignIn(post("someone-else"), async () => t.db)).toBeNull();
    // Other next-auth requests pass untouched.
    expect(await limitSignIn(new Request("http://localhost/api/auth/session"), async () => t.db)).toBeNull();
  });
});

const i36 = () => Math.random().toString(36).slice(2, 8);

describe("accounts and sessions", () => {
  it("sign-up refuses short, common and username-containing passwords with a clear message, and stores nothing", async () => {
    const api = createCaller({ db: t.db, dbKind: t.kind, actor: null });
    const before = await t.db.user.count();
    await expect(api.auth.signUp({ username: "newbie1", password: "abc12345" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at least 10 characters/) });
    await expect(api.auth.signUp({ username: "newbie1", password: "Password123" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/most common/) });
    await expect(api.auth.signUp({ username: "newbie1", password: "1234567890" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.auth.signUp({ username: "newbie1", password: "xnewbie1-rocks" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/username/) });
    expect(await t.db.user.count()).toBe(before);
    await expect(api.auth.signUp({ username: "newbie1", password: "purple-otter-drums" })).resolves.toMatchObject({ username: "newbie1" });
  });

  it("a student removed from the class loses their session at the next request", async () => {
    const teacher = await signUp(t.db, { username: `teach-${i36()}`, password: "blackboard-chalk", teacher: true }, null);
    const c = await createClassroom(t.db, teacher, { name: "Room 12" });
    await joinClassroom(t.db, null, { code: c.joinCode, nickname: "Removed Kid", secret: { kind: "PIN", value: "4821" } });
    const member = await t.db.classMember.findFirstOrThrow({ where: { classroomId: c.id, nickname: "Removed Kid" } });
    expect(await actorFromUserId(member.userId, t.db)).toMatchObject({ userId: member.userId });
    await removeStudent(t.db, teacher, { classroomId: c.id, memberId: member.id });
    expect(await actorFromUserId(member.userId, t.db)).toBeNull();
  });
});

describe("no personal data in public APIs", () => {
  it("no public procedure shows a student's nickname or account name, to anonymous callers or players outside the class", async () => {
    const teacher = await signUp(t.db, { username: `teacher-${i36()}`, password: "blackboard-chalk", teacher: true }, null);
    const c = await createClassroom(t.db, teacher, { name: "Quasar Class" });
    const nicknames = ["Zyxwv Nick", "Qwopa Star", "Blorft Kid"];
    for (const nickname of nicknames) await joinClassroom(t.db, null, { code: c.joinCode, nickname, secret: { kind: "PIN", value: "4821" } });
    const students = await t.db.classMember.findMany({ where: { classroomId: c.id }, include: { user: true } });
    // The students top every board by far, so a board that leaked them would show them first.
    await t.db.user.updateMany({ where: { id: { in: students.map((s) => s.userId) } }, data: { points: 9_000_000 } });
    await t.db.classMember.updateMany({ where: { classroomId: c.id }, data: { points: 9_000_000, cubes: 50 } });
    const adult = await signUp(t.db, { username: `adult-${i36()}`, password: "purple-otter-drums" }, null);
    await t.db.user.update({ where: { id: adult.userId }, data: { points: 10 } });
    const comp = await createCompetition(t.db, teacher, { name: "Spring Match", startsAt: new Date(Date.now() - 3600_000), endsAt: new Date(Date.now() + 86_400_000), classroomIds: [c.id] });
    const secrets = [...nicknames, ...students.map((s) => s.user.username)];

    type Proc = { _def: { type: string } };
    const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, Proc> } })._def.procedures).filter(([, p]) => p._def.type === "query");
    const inputs: unknown[] = [undefined, {}, { period: "ALL" }, { period: "WEEK" }, { id: ids.neuron }, { id: comp.id }, { code: c.joinCode }, { datasetId: ids.dataset }, { neuronId: ids.neuron }, { classroomId: c.id, period: "ALL" }];
    const outsider: Actor = await createGuest(t.db);
    const answered: string[] = [];
    for (const actor of [null, outsider]) {
      const api = createCaller({ db: t.db, dbKind: t.kind, actor });
      for (const [path] of procedures) {
        const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], api) as (i: unknown) => Promise<unknown>;
        for (const input of inputs) {
          const out = await fn(input).catch(() => undefined);
          if (out === undefined) continue;
          answered.push(`${actor ? "outsider" : "anonymous"} ${path}`);
          const text = JSON.stringify(out);
          for (const s of secrets) expect(text, `${path}(${JSON.stringify(input)}) shows "${s}"`).not.toContain(s);
        }
      }
    }
    // The scan really reached the boards that list people and classes.
    expect(answered).toEqual(expect.arrayContaining(["anonymous leaderboard.players", "anonymous leaderboard.classes", "anonymous competition.get", "outsider leaderboard.players"]));
    const board = await createCaller({ db: t.db, dbKind: t.kind, actor: null }).leaderboard.players({ period: "ALL" });
    expect(board.entries.map((e) => e.username)).toContain(adult.username);
    // Members of the class do see the nicknames (they stay inside it).
    const member = students[0]!;
    const inside = await createCaller({ db: t.db, dbKind: t.kind, actor: { userId: member.userId, username: member.user.username, role: "PLAYER", isGuest: false } }).leaderboard.class({ classroomId: c.id, period: "ALL" });
    expect(inside.entries.map((e) => e.nickname).sort()).toEqual([...nicknames].sort());
  });
});
