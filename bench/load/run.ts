// `npm run bench:load -- --duration 30 [--players 32] [--instances 1] [--neurons 4] [--json]`
// Virtual players sign in as guests and assign + submit cubes over loopback HTTP against real `next start`
// instances on a fresh PostgreSQL database (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test)
// for a fixed time. Reports throughput, p50/p99 latency, errors and lost submissions (acknowledged minus
// stored: must be 0), and a raw single-row INSERT rate measured in the same run on the same server with as
// many connections as the app's pool, with our submit rate as a ratio of it. Two floors measured in the
// same run show what the framework alone allows: the same players hammer the lightest requests the app
// serves (a static file; a health check; a session-checked tRPC read), which bound any submit's rate from above.
// Goal (issue #7): submit rate >= 25 % of the raw insert rate, with p99 < 250 ms.
import { randomUUID } from "node:crypto";
import pg from "pg";
import superjson from "superjson";
import { z } from "zod";
import { newStats, percentile, Player } from "./client";
import { everySeventh, playUntil, preparedDatabase, requireBuild, runSql, seedNeurons, startInstance, storedTraces, type Instance } from "./harness";

export const BENCH_SQL = [
  // Four neurons, three players per cube: cubes retire and spawn neighbours as in a real campaign.
  `UPDATE "Neuron" SET "minPlayers" = 3, "maxPlayers" = 3`,
  `UPDATE "Task" SET "redundancy" = 3, "maxPlayers" = 3 WHERE "kind" = 'CAMPAIGN'`,
];

const argsSchema = z.object({
  duration: z.coerce.number().min(1).max(600),
  players: z.coerce.number().int().min(1).max(500),
  instances: z.coerce.number().int().min(1).max(4),
  /** Neurons of the campaign (the demo's 4 run out of open cubes within seconds at high load). */
  neurons: z.coerce.number().int().min(1).max(200).optional(),
  json: z.boolean(),
});
/** `template`: a set-up database to copy instead of running setup (the system tests make one). */
export type LoadOptions = z.infer<typeof argsSchema> & { dbUrl?: string; template?: string };

export type LoadReport = {
  durationS: number;
  players: number;
  instances: number;
  neurons?: number;
  submissions: number;
  submitsPerS: number;
  assignsPerS: number;
  idleAssigns: number;
  latencyMs: { assign: { p50: number; p99: number }; submit: { p50: number; p99: number } };
  errors: Record<string, number>;
  lost: number;
  rawInsertsPerS: number;
  ratio: number;
  /** The lightest requests the app serves, by the same players right after the play phase: upper bounds for any submit. */
  floors: Floor[];
};

/** A request far lighter than a submit, hammered by every player for a few seconds. */
export type Floor = { name: string; what: string; perS: number; p50: number; p99: number; failed: number; ratio: number };

const FLOORS = [
  { name: "static", what: "GET /models/boundary.md: a small static file from `next start`, no database", path: () => "/models/boundary.md", ok: 200 },
  { name: "health", what: "GET /api/health: a Next route handler and one Prisma SELECT 1, no session", path: () => "/api/health", ok: 200 },
  {
    name: "session",
    what: "tRPC neuron.get of an unknown id: session cookie (JWT), actor lookup, input check, one findUnique → 404",
    path: () => `/api/trpc/neuron.get?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ id: randomUUID() })))}`,
    ok: 404,
  },
] as const;

async function measureFloor(players: Player[], f: (typeof FLOORS)[number], seconds: number): Promise<Omit<Floor, "ratio">> {
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    players.map(async (p) => {
      while (Date.now() < end) {
        const t = performance.now();
        const status = await p.probe(f.path());
        if (status === f.ok) latencies.push(performance.now() - t);
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { name: f.name, what: f.what, perS: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

/** Single-row INSERTs, autocommit, from `connections` clients for `seconds`: the database's own limit here. */
export async function rawInsertRate(dbUrl: string, connections: number, seconds: number): Promise<number> {
  const setup = new pg.Client({ connectionString: dbUrl });
  await setup.connect();
  await setup.query(`CREATE TABLE IF NOT EXISTS bench_raw_insert (id text PRIMARY KEY, user_id text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  await setup.end();
  const end = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      while (Date.now() < end) {
        await c.query(`INSERT INTO bench_raw_insert (id, user_id, payload) VALUES ($1, $2, $3)`, [randomUUID(), randomUUID(), JSON.stringify({ supervoxels: [1, 2, 3] })]);
        n++;
      }
      await c.end();
    }),
  );
  return n / seconds;
}

export async function runLoad(opts: LoadOptions, log: (line: string) => void = () => {}): Promise<LoadReport> {
  requireBuild();
  const adminUrl = opts.dbUrl ?? process.env.DATABASE_URL?.trim() ?? "postgresql://postgres@127.0.0.1:5432/test";
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) throw new Error(`the load bench runs on PostgreSQL: DATABASE_URL must be a postgresql:// URL (got "${adminUrl.split(":")[0]}:…")`);
  log(`setting up a fresh database …`);
  const db = await preparedDatabase(adminUrl, opts.template, opts.neurons ? [] : BENCH_SQL, "axonaut_load");
  if (opts.neurons) {
    log(`seeding ${opts.neurons} neurons …`);
    seedNeurons(db.url, opts.neurons);
    await runSql(db.url, BENCH_SQL);
  }
  const instances: Instance[] = [];
  const answer = everySeventh(db.url);
  try {
    for (let i = 0; i < opts.instances; i++) instances.push(await startInstance(db.url));
    const stats = newStats();
    const players = Array.from({ length: opts.players }, (_, i) => new Player(instances.map((x) => x.base), i, stats));
    log(`${opts.players} players signing in …`);
    for (let i = 0; i < players.length; i += 16) await Promise.all(players.slice(i, i + 16).map((p) => p.signInGuest()));
    // Warm up (first requests compile routes and fill caches), then measure from a clean slate.
    await Promise.all(players.slice(0, 4).map((p) => p.assign().then((t) => t && p.submit(t.taskId, t.seeds))));
    const warmAcks = [...stats.acknowledged];
    Object.assign(stats, newStats());
    log(`playing for ${opts.duration} s …`);
    const end = Date.now() + opts.duration * 1000;
    const t0 = performance.now();
    const errors: string[] = [];
    await Promise.all(
      players.map((p) =>
        playUntil(
          p,
          async (task) => answer(task),
          () => Date.now() >= end,
          { onError: (e) => errors.push(String(e)) },
        ),
      ),
    );
    const elapsed = (performance.now() - t0) / 1000;
    // Every successful assign is followed by a submit unless it found no free cube.
    const idle = Math.max(0, stats.latencies.assign.length - stats.latencies.submit.length);
    const acked = [...warmAcks, ...stats.acknowledged];
    const stored = await storedTraces(db.url, acked);
    const side = Math.min(10, Math.max(3, opts.duration / 3));
    const floors: Omit<Floor, "ratio">[] = [];
    for (const f of FLOORS) {
      log(`measuring the ${f.name} floor …`);
      floors.push(await measureFloor(players, f, side));
    }
    log(`measuring raw single-row inserts …`);
    const pool = Number(process.env.AXONAUT_DB_POOL ?? 10) * opts.instances;
    const raw = await rawInsertRate(db.url, pool, side);
    const submitsPerS = stats.acknowledged.length / elapsed;
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      durationS: round(elapsed),
      players: opts.players,
      instances: opts.instances,
      neurons: opts.neurons,
      submissions: stats.acknowledged.length,
      submitsPerS: round(submitsPerS),
      assignsPerS: round(stats.latencies.assign.length / elapsed),
      idleAssigns: idle,
      latencyMs: {
        assign: { p50: round(percentile(stats.latencies.assign, 50)), p99: round(percentile(stats.latencies.assign, 99)) },
        submit: { p50: round(percentile(stats.latencies.submit, 50)), p99: round(percentile(stats.latencies.submit, 99)) },
      },
      errors: Object.fromEntries([...stats.errors, ...errors.map((e) => [`thrown ${e.slice(0, 120)}`, 1] as [string, number])]),
      lost: acked.length - stored,
      rawInsertsPerS: round(raw),
      ratio: Math.round((submitsPerS / raw) * 1000) / 1000,
      floors: floors.map((f) => ({ ...f, perS: round(f.perS), p50: round(f.p50), p99: round(f.p99), ratio: Math.round((f.perS / raw) * 1000) / 1000 })),
    };
  } finally {
    await answer.close();
    for (const i of instances) await i.stop();
    await db.drop();
  }
}

function parseArgs(argv: string[]): LoadOptions {
  const raw: Record<string, unknown> = { duration: 30, players: 32, instances: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") raw.json = true;
    else if (/^--(duration|players|instances|neurons)$/.test(a)) raw[a.slice(2)] = argv[++i];
    else throw new Error(`unknown argument "${a}" (use --duration <s> --players <n> --instances <n> --neurons <n> --json)`);
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  return parsed.data;
}

export function formatReport(r: LoadReport): string {
  const goal = r.ratio >= 0.25 && r.latencyMs.submit.p99 < 250 && r.latencyMs.assign.p99 < 250;
  return [
    `| measure | value |`,
    `| --- | --- |`,
    `| players × instances | ${r.players} × ${r.instances} |`,
    `| neurons in the campaign | ${r.neurons ?? 4} |`,
    `| duration | ${r.durationS} s |`,
    `| submissions acknowledged | ${r.submissions} (${r.submitsPerS}/s) |`,
    `| task.assign calls | ${r.assignsPerS}/s (${r.idleAssigns} found no free cube) |`,
    `| assign latency p50 / p99 | ${r.latencyMs.assign.p50} / ${r.latencyMs.assign.p99} ms |`,
    `| submit latency p50 / p99 | ${r.latencyMs.submit.p50} / ${r.latencyMs.submit.p99} ms |`,
    `| errors | ${Object.keys(r.errors).length ? JSON.stringify(r.errors) : 0} |`,
    `| lost submissions (acknowledged − stored) | ${r.lost} |`,
    `| raw single-row INSERT rate (same server, same run) | ${r.rawInsertsPerS}/s |`,
    `| submit rate / raw insert rate | ${(r.ratio * 100).toFixed(1)} % |`,
    `| goal (≥ 25 % and p99 < 250 ms) | ${goal ? "met" : "NOT met"} |`,
    ...r.floors.map((f) => `| floor "${f.name}" (${f.what}) | ${f.perS}/s = ${(f.ratio * 100).toFixed(1)} % of raw; p50 / p99 ${f.p50} / ${f.p99} ms${f.failed ? `; ${f.failed} failed` : ""} |`),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const report = await runLoad(opts, (l) => console.error(l));
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
    process.exit(report.lost === 0 ? 0 : 1);
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
