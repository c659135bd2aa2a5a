// Running real app instances for the load bench and the system tests: a fresh PostgreSQL database set
// up like production (`npm run setup`: migrations, the sample volume, the demo campaign), `next start`
// processes from the production build (AXONAUT_NEXT_DIR ?? .next) sharing one NEXTAUTH_SECRET and one
// data store, and players looping over task.assign / trace.submit.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { Player, sleep, type GameTaskLite } from "./client";

export const NEXT_DIR = process.env.AXONAUT_NEXT_DIR ?? ".next";
/** One store for every run: ingesting the sample takes a while, and the store is read-only afterwards. */
export const STORE = process.env.AXONAUT_SYSTEM_STORE ?? ".data/system-store";
const SECRET = randomBytes(32).toString("base64url");

export function requireBuild() {
  if (!existsSync(path.join(NEXT_DIR, "BUILD_ID"))) throw new Error(`no production build in ${NEXT_DIR}: run \`npx next build\` (with AXONAUT_NEXT_DIR=${NEXT_DIR}) first`);
}

export function postgresUrl(): string | null {
  const url = process.env.DATABASE_URL?.trim();
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

export const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** A new empty database on the server `adminUrl` names; drop() removes it. */
export async function freshDatabase(adminUrl: string, prefix = "axonaut_sys", template?: string) {
  const name = `${prefix}_${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  if (template && !/^[a-z0-9_]+$/.test(template)) throw new Error(`bad template database name "${template}"`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  await admin.end();
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A fresh database already set up (migrations, sample volume, demo campaign): a copy of `template` when one
 * is given (CREATE DATABASE … TEMPLATE: about a second), else `npm run setup` on a new one.
 */
export async function preparedDatabase(adminUrl: string, template: string | undefined, sql: string[] = [], prefix = "axonaut_sys") {
  if (!template) {
    const db = await freshDatabase(adminUrl, prefix);
    await setupDatabase(db.url, sql);
    return db;
  }
  const db = await freshDatabase(adminUrl, prefix, template);
  await runSql(db.url, sql);
  return db;
}

export async function runSql(dbUrl: string, sql: string[]) {
  const c = new pg.Client({ connectionString: dbUrl });
  c.on("error", () => {}); // the query itself fails when PostgreSQL goes away mid-way; the event must not crash us
  await c.connect();
  for (const q of sql) await c.query(q);
  await c.end();
}

/** The demo campaign of a set-up database replaced by `neurons` neurons (bench/load/seed-neurons.ts). */
export function seedNeurons(dbUrl: string, neurons: number) {
  const r = spawnSync(path.join("node_modules", ".bin", "tsx"), ["bench/load/seed-neurons.ts", String(neurons)], {
    env: { ...process.env, DATABASE_URL: dbUrl, AXONAUT_STORE: path.resolve(STORE) },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`seeding ${neurons} neurons failed:\n${r.stdout}\n${r.stderr}`);
}

/** `npm run setup` against `dbUrl`, then optional SQL (campaign settings for the run). */
export async function setupDatabase(dbUrl: string, sql: string[] = []) {
  const dataDir = path.resolve(".data/system");
  mkdirSync(dataDir, { recursive: true });
  const r = spawnSync(path.join("node_modules", ".bin", "tsx"), ["server/cli/setup.ts"], {
    env: { ...process.env, DATABASE_URL: dbUrl, AXONAUT_DATA_DIR: dataDir, AXONAUT_STORE: path.resolve(STORE) },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`setup failed:\n${r.stdout}\n${r.stderr}`);
  await runSql(dbUrl, sql);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export type Instance = { port: number; base: string; proc: ChildProcess; output: () => string; stop(signal?: NodeJS.Signals): Promise<void> };

/** `next start` on a free port against `dbUrl`; resolves when /api/health answers. */
export async function startInstance(dbUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const port = await freePort();
  let out = "";
  // AXONAUT_BENCH_NODE_ARGS: node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.AXONAUT_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, "node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: dbUrl,
      AXONAUT_NEXT_DIR: NEXT_DIR,
      AXONAUT_DATA_DIR: path.resolve(".data/system"),
      AXONAUT_STORE: path.resolve(STORE),
      NEXTAUTH_SECRET: SECRET,
      AUTH_TRUST_HOST: "true",
      // Long enough that a slow submission (a loaded CI machine) keeps its place; the kill test shortens it
      // so that a place taken by a request whose answer died with its instance frees up quickly.
      AXONAUT_ASSIGNMENT_TTL_S: "60",
      // Scripted players act far faster than people: raise the per-account limits (they are still counted).
      AXONAUT_RATE_LIMIT_SCALE: "1000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  proc.stderr!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`next start exited (${proc.exitCode}):\n${out}`);
    const ok = await fetch(`${base}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`next start on ${port} not healthy after 60 s:\n${out}`);
    await sleep(250);
  }
  return {
    port,
    base,
    proc,
    output: () => out,
    stop: (signal: NodeJS.Signals = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill(signal);
      }),
  };
}

/** What each player selects in a cube: a fixed function of the cube, so every player agrees. */
export type Answer = (task: GameTaskLite) => Promise<number[]>;

/** Retries a read for up to `ms` while the database is unreachable (a restart), then gives up. */
async function readWithRetry<T>(read: () => Promise<T>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(200);
    }
  }
}

/** The cube's seeds plus every 7th of its supervoxels (read once per cube from the database). */
export function everySeventh(dbUrl: string): Answer & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  // A restart of PostgreSQL (the fault test) ends the pool's idle connections: the pool drops them and the
  // next query reconnects. Without a listener, that error event would crash the process.
  pool.on("error", () => {});
  const cache = new Map<string, Promise<number[]>>();
  const answer = async (task: GameTaskLite) => {
    let ids = cache.get(task.taskId);
    if (!ids) {
      // The scripted player's own read of the cube, not the app under test: while PostgreSQL restarts (the
      // fault test) it waits and reads again, as a player would think a moment longer. A read that still
      // fails is not cached: the player would fail on this cube forever.
      ids = readWithRetry(() => pool.query<{ supervoxelIds: number[] }>(`SELECT "supervoxelIds" FROM "Task" WHERE "id" = $1`, [task.taskId])).then(
        (r) => r.rows[0]?.supervoxelIds ?? [],
        (err: unknown) => {
          cache.delete(task.taskId);
          throw err;
        },
      );
      cache.set(task.taskId, ids);
    }
    const picked = (await ids).filter((id) => id % 7 === 0);
    return [...new Set([...task.seeds, ...picked])].sort((a, b) => a - b);
  };
  return Object.assign(answer, { close: () => pool.end() });
}

/**
 * One player's loop: assign, answer, submit, until `stop()`; when no cube is free it waits and asks again
 * (cubes spawn as others submit). Returns the number of submissions acknowledged.
 */
export async function playUntil(player: Player, answer: Answer, stop: () => boolean | Promise<boolean>, opts: { onError?: (err: unknown) => void } = {}): Promise<number> {
  let done = 0;
  while (!(await stop())) {
    try {
      const task = await player.assign();
      if (!task) {
        await sleep(150);
        continue;
      }
      await player.submit(task.taskId, await answer(task));
      done++;
    } catch (err) {
      opts.onError?.(err);
      await sleep(100);
    }
  }
  return done;
}

/** True when no non-practice cube is open: the campaign is finished. */
export async function campaignDone(dbUrl: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: dbUrl });
  c.on("error", () => {}); // the query itself fails when PostgreSQL goes away mid-way; the event must not crash us
  await c.connect();
  try {
    const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "Task" WHERE "status" = 'OPEN' AND "kind" <> 'PRACTICE'`);
    return Number(r.rows[0]!.n) === 0;
  } finally {
    await c.end();
  }
}

/** The campaign's outcome, independent of ids and timing: each cube by neuron name and box. */
export async function campaignState(dbUrl: string) {
  const c = new pg.Client({ connectionString: dbUrl });
  c.on("error", () => {}); // the query itself fails when PostgreSQL goes away mid-way; the event must not crash us
  await c.connect();
  try {
    const r = await c.query<{ neuron: string; x0: number; y0: number; z0: number; status: string; submissions: number; consensus: number[]; seeds: number[]; traces: string; answers: string | null }>(`
      SELECT n."name" AS neuron, t."x0", t."y0", t."z0", t."status", t."submissions", t."consensus", t."seeds",
             (SELECT count(*) FROM "Trace" tr WHERE tr."taskId" = t."id") AS traces,
             (SELECT string_agg(array_to_string(tr."supervoxels", ','), ' | ' ORDER BY array_to_string(tr."supervoxels", ',')) FROM "Trace" tr WHERE tr."taskId" = t."id") AS answers
      FROM "Task" t JOIN "Neuron" n ON n."id" = t."neuronId" WHERE t."kind" <> 'PRACTICE'
      ORDER BY n."name", t."z0", t."y0", t."x0"`);
    const ids = (a: number[]) => [...a].sort((p, q) => p - q).join(",");
    return r.rows.map((x) => ({ cube: `${x.neuron} @${x.x0},${x.y0},${x.z0}`, status: x.status, submissions: x.submissions, traces: Number(x.traces), answers: x.answers ?? "", seeds: ids(x.seeds), consensus: ids(x.consensus) }));
  } finally {
    await c.end();
  }
}

/** How many of these trace ids are stored. */
export async function storedTraces(dbUrl: string, traceIds: string[]): Promise<number> {
  const c = new pg.Client({ connectionString: dbUrl });
  c.on("error", () => {}); // the query itself fails when PostgreSQL goes away mid-way; the event must not crash us
  await c.connect();
  try {
    const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "Trace" WHERE "id" = ANY($1::text[])`, [traceIds]);
    return Number(r.rows[0]!.n);
  } finally {
    await c.end();
  }
}
