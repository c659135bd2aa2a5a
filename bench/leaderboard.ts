// `npm run bench:leaderboard [-- --players 100000 --runs 50]`: leaderboard queries with 100,000 players on
// PostgreSQL. Makes a fresh database on the server that DATABASE_URL names (default
// postgresql://postgres@127.0.0.1:5432/test), applies the migrations, seeds the players (60 % of them
// students in classes of 25), their classes and ~3 traces each through the real trace trigger, then times
// each leaderboard query through the real services and prints its median against a baseline measured in
// the same run: a primary-key lookup of one user. The database is dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { openDatabase } from "@/server/db/migrated";
import type { Actor } from "@/server/services/actor";
import { classLeaderboard, classroomBoard, playerLeaderboard } from "@/server/services/leaderboards";
import { getCompetition } from "@/server/services/competitions";

const args = z
  .object({
    players: z.coerce.number().int().min(1000).max(2_000_000).default(100_000),
    runs: z.coerce.number().int().min(3).max(10_000).default(50),
    studentShare: z.coerce.number().min(0).max(1).default(0.6),
    keep: z.boolean().default(false),
  })
  .strict()
  .parse(parseArgs(process.argv.slice(2)));

function parseArgs(argv: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, "");
    if (key === "keep") out.keep = true;
    else out[key.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = argv[++i];
  }
  return out;
}

const serverUrl = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://postgres@127.0.0.1:5432/test";
const name = `axonaut_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const url = new URL(serverUrl);
url.pathname = `/${name}`;

const handle = await openDatabase({ kind: "postgresql", url: url.toString() });
const db = handle.db;
const N = args.players;
const students = Math.floor(N * args.studentShare);
const classes = Math.ceil(students / 25);
const TASKS = 6;

try {
  const t0 = performance.now();
  console.log(`seeding ${N.toLocaleString("en")} players (${students.toLocaleString("en")} students in ${classes.toLocaleString("en")} classes) …`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Dataset" ("id","slug","name","width","height","depth","voxelSizeX","voxelSizeY","voxelSizeZ","tileSize","levels","chunkSize","supervoxelCount","hasGroundTruth","license","attribution")
    VALUES ('d1','bench','Bench',250,250,250,10,10,10,256,1,64,1,false,'none','none')`);
  await db.$executeRawUnsafe(`INSERT INTO "Neuron" ("id","datasetId","name","color","seedX","seedY","seedZ") VALUES ('n1','d1','Bench neuron','#ff0000',1,1,1)`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Task" ("id","datasetId","neuronId","x0","y0","z0","x1","y1","z1","seeds","supervoxelIds","supervoxelSizes")
    SELECT 't' || g, 'd1', 'n1', 0,0,0,96,96,96, '{1}', '{1}', '{1}' FROM generate_series(1, ${TASKS}) g`);
  // Teachers, then players: the first `students` are students.
  await db.$executeRawUnsafe(`INSERT INTO "User" ("id","username","role") SELECT 'teacher' || g, 'teacher' || g, 'TEACHER' FROM generate_series(1, ${classes}) g`);
  await db.$executeRawUnsafe(`INSERT INTO "User" ("id","username","isStudent") SELECT 'u' || g, 'player' || g, g <= ${students} FROM generate_series(1, ${N}) g`);
  await db.$executeRawUnsafe(`INSERT INTO "Classroom" ("id","name","teacherId","joinCode") SELECT 'c' || g, 'Class ' || g, 'teacher' || g, 'J' || g FROM generate_series(1, ${classes}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ClassMember" ("id","classroomId","userId","nickname","nicknameKey","secretKind","secretHash")
    SELECT 'm' || g, 'c' || ((g - 1) / 25 + 1), 'u' || g, 'Kid ' || g, 'kid ' || g, 'PIN', 'x' FROM generate_series(1, ${students}) g`);
  // 1 to 5 traces per player (3 on average), spread over the last 4 weeks, through the trigger.
  const t1 = performance.now();
  await db.$executeRawUnsafe(`
    INSERT INTO "Trace" ("id","taskId","userId","supervoxels","points","result","createdAt")
    SELECT 'tr' || g || '-' || k, 't' || k, 'u' || g, '{}', (50 + (hashint4(g * 7 + k) & 1023))::int, '{}',
           now() - ((hashint4(g * 13 + k) & 2147483647) % (28 * 86400)) * interval '1 second'
    FROM generate_series(1, ${N}) g, generate_series(1, ${TASKS}) k
    WHERE k <= 1 + (hashint4(g) & 2147483647) % 5`);
  const t2 = performance.now();
  // What the scoring services keep on User.
  await db.$executeRawUnsafe(`UPDATE "User" u SET "points" = s.p FROM (SELECT "userId", SUM("points")::int AS p FROM "Trace" GROUP BY "userId") s WHERE s."userId" = u."id"`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE`); // the steady state autovacuum keeps: index-only scans possible
  const traces = await db.trace.count();
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${traces.toLocaleString("en")} traces through the trigger in ${((t2 - t1) / 1000).toFixed(1)} s (${(((t2 - t1) * 1000) / traces).toFixed(0)} µs per trace)`);

  // Callers: a mid-table player, a student, the class's teacher; a live competition of 10 classes.
  const mid: Actor = { userId: `u${N - Math.floor((N - students) / 2)}`, username: "mid", role: "PLAYER", isGuest: false };
  const student: Actor = { userId: "u1", username: "student", role: "PLAYER", isGuest: false };
  const comp = await db.competition.create({
    data: {
      name: "Bench cup",
      createdById: "teacher1",
      inviteCode: "BENCH001",
      startsAt: new Date(Date.now() - 7 * 86_400_000),
      endsAt: new Date(Date.now() + 86_400_000),
      classes: { create: Array.from({ length: 10 }, (_, i) => ({ classroomId: `c${i + 1}` })) },
    },
  });

  const cases: [string, () => Promise<unknown>][] = [
    ["baseline: one user by primary key", () => db.$queryRaw`SELECT "id", "username", "points" FROM "User" WHERE "id" = ${mid.userId}`],
    ["players, all time (top 25 + my rank)", () => playerLeaderboard(db, mid, { period: "ALL" })],
    ["players, this week (top 25 + my rank)", () => playerLeaderboard(db, mid, { period: "WEEK" })],
    ["players, all time, anonymous (top 100)", () => playerLeaderboard(db, null, { period: "ALL", limit: 100 })],
    ["classes, all time (top 25)", () => classLeaderboard(db, { period: "ALL" })],
    ["classes, this week (top 25)", () => classLeaderboard(db, { period: "WEEK" })],
    ["one class's board (student)", () => classroomBoard(db, student, { classroomId: "c1", period: "WEEK" })],
    ["competition of 10 classes, live", () => getCompetition(db, null, comp.id)],
  ];
  const results: { name: string; medianMs: number; p95Ms: number }[] = [];
  for (const [label, fn] of cases) {
    for (let i = 0; i < 3; i++) await fn(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < args.runs; i++) {
      const s = performance.now();
      await fn();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    results.push({ name: label, medianMs: times[Math.floor(times.length / 2)]!, p95Ms: times[Math.floor(times.length * 0.95)]! });
  }
  const base = results[0]!.medianMs;
  console.log(`\n${N.toLocaleString("en")} players, ${args.runs} runs each, PostgreSQL via Prisma (same connection pool as the server):`);
  console.log(`${"query".padEnd(42)} ${"median ms".padStart(10)} ${"p95 ms".padStart(9)} ${"× baseline".padStart(11)}`);
  for (const r of results) console.log(`${r.name.padEnd(42)} ${r.medianMs.toFixed(2).padStart(10)} ${r.p95Ms.toFixed(2).padStart(9)} ${(r.medianMs / base).toFixed(1).padStart(11)}`);

  // The plans: each board reads one index in order (no sequential scan of the big tables).
  const plans: [string, string][] = [
    ["players, all time", `SELECT "id" FROM "User" WHERE "isStudent" = false AND "points" > 0 ORDER BY "points" DESC, "id" ASC LIMIT 25`],
    ["my rank, all time", `SELECT count(*) FROM "User" WHERE "isStudent" = false AND "points" > 1500`],
    ["players, this week", `SELECT "userId" FROM "WeeklyScore" WHERE "weekStart" = date_trunc('week', now())::date AND "isStudent" = false AND "points" > 0 ORDER BY "points" DESC, "userId" LIMIT 25`],
    ["classes, all time", `SELECT "id" FROM "Classroom" WHERE "archivedAt" IS NULL AND "activeStudents" > 0 ORDER BY "average" DESC, "id" LIMIT 25`],
  ];
  console.log("\nplans:");
  for (const [label, sql] of plans) {
    const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`);
    const scans = rows.map((r) => r["QUERY PLAN"]).filter((l) => /Scan/.test(l)).map((l) => l.trim().replace(/\s+\(cost.*$/, ""));
    console.log(`  ${label.padEnd(20)} ${scans.join(" | ")}`);
  }
} finally {
  await handle.close();
  if (!args.keep) {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  } else console.log(`kept database ${name}`);
}
