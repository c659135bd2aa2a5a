// `npx tsx bench/load/profile-submit.ts [--players 12] [--parallel 1]`: where one trace.submit's time goes,
// in-process (no HTTP, no session), on a fresh database (PostgreSQL when DATABASE_URL names one, else
// in-memory PGlite) with the sample volume and the demo campaign. Players loop assign → submit; each
// database operation is timed through a Prisma query extension. Prints per-submit latency (p50/p99), the
// round trips per submit and the slowest operations. A diagnostic, not a benchmark: see bench/load/run.ts.
import { randomUUID } from "node:crypto";
import { SAMPLE } from "@/server/cli/setup";
import type { Db } from "@/server/db/client";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { assignTask } from "@/server/services/tasks";
import { submitTrace } from "@/server/services/traces";
import { createGuest } from "@/server/services/users";
import { readManifest } from "@/server/store/store";
import globalSetup from "@/test-support/global-setup";
import { createTestDatabase } from "@/test-support/db";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const PLAYERS = arg("players", 12);
const PARALLEL = arg("parallel", 1);
const ROUNDS = arg("rounds", 4);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

await globalSetup();
const t = await createTestDatabase();
try {
  const { datasetId } = await registerDatasetIn(t.db, await readManifest(SAMPLE.slug));
  await seedDemoCampaign(t.db, datasetId, { settings: { minPlayers: 3, maxPlayers: 3 } });
  const ops: { op: string; ms: number }[] = [];
  let recording = false;
  const timed = t.db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const t0 = performance.now();
        try {
          return await query(args);
        } finally {
          if (recording) ops.push({ op: `${model ?? ""}.${operation}`, ms: performance.now() - t0 });
        }
      },
    },
  }) as unknown as Db;
  const players = await Promise.all(Array.from({ length: PLAYERS }, () => createGuest(t.db)));
  const submitMs: number[] = [];
  let submits = 0;
  let firstOps = 0;
  const lane = async (i: number) => {
    for (let r = 0; r < ROUNDS; r++) {
      for (let p = i; p < players.length; p += PARALLEL) {
        const actor = players[p]!;
        const task = await assignTask(t.db, actor);
        if (!task) continue;
        const row = await t.db.task.findUniqueOrThrow({ where: { id: task.taskId }, select: { supervoxelIds: true } });
        const supervoxels = [...new Set([...task.seeds, ...row.supervoxelIds.filter((id) => id % 7 === 0)])];
        recording = true;
        const before = ops.length;
        const t0 = performance.now();
        await submitTrace(timed, actor, { traceId: randomUUID(), taskId: task.taskId, supervoxels });
        submitMs.push(performance.now() - t0);
        if (!firstOps) firstOps = ops.length - before;
        submits++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, (_, i) => lane(i)));
  const wall = (performance.now() - t0) / 1000;
  const byOp = new Map<string, number[]>();
  for (const o of ops) byOp.set(o.op, [...(byOp.get(o.op) ?? []), o.ms]);
  console.log(`${t.kind}: ${submits} submits, ${PARALLEL} in parallel; submit p50 ${pct(submitMs, 50).toFixed(1)} ms, p99 ${pct(submitMs, 99).toFixed(1)} ms; ${(ops.length / Math.max(1, submits)).toFixed(1)} db operations per submit (first: ${firstOps}); ${(submits / wall).toFixed(1)} submits/s incl. assigns`);
  const rows = [...byOp].map(([op, ms]) => ({ op, n: ms.length, totalMs: ms.reduce((a, b) => a + b, 0), p50: pct(ms, 50) })).sort((a, b) => b.totalMs - a.totalMs);
  for (const r of rows.slice(0, 20)) console.log(`  ${r.op.padEnd(32)} ×${String(r.n).padStart(4)}  total ${r.totalMs.toFixed(0).padStart(6)} ms  p50 ${r.p50.toFixed(2)} ms`);
} finally {
  await t.drop();
}
