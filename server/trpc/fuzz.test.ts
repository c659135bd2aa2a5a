// Fuzzes every tRPC procedure with fast-check: whatever the input, the API never fails with an internal
// error, and an input it rejects leaves stored data exactly as it was. New procedures are picked up
// automatically from the router.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "@/server/store/store";
import { SAMPLE } from "@/server/cli/setup";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { createGuest } from "@/server/services/users";
import type { Actor } from "@/server/services/actor";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { appRouter } from "./router";
import { createCallerFactory } from "./init";

// 1,000 inputs per procedure in CI; fewer by default so a local run stays quick.
const RUNS = Number(process.env.AXONAUT_FUZZ_RUNS ?? (process.env.CI ? 1000 : 200));
let t: TestDb;
let player: Actor;
let admin: Actor;
let ids: { task: string; neuron: string; dataset: string };

/** One query that changes whenever any stored row does (row counts and a checksum of each table). */
async function fingerprint(): Promise<string> {
  const tables = await t.db.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const parts = tables.map((r) => `(SELECT md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) FROM "${r.table_name}" x)`);
  const rows = await t.db.$queryRawUnsafe<{ f: string }[]>(`SELECT concat_ws(',', ${parts.join(", ")}) AS f`);
  return rows[0]!.f;
}

type Proc = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, Proc> } })._def.procedures);

/** Input keys the procedure's zod object schema declares, so fuzzing reaches past the first check. */
function declaredKeys(proc: Proc): string[] {
  const schema = proc._def.inputs[0] as { shape?: Record<string, unknown> } | undefined;
  return schema?.shape ? Object.keys(schema.shape) : [];
}

function inputArb(keys: string[]) {
  const value = fc.oneof(
    fc.constantFrom(ids.task, ids.neuron, ids.dataset, "00000000-0000-4000-8000-000000000000", "", "x".repeat(300)),
    fc.uuid(),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer({ min: -5, max: 60000 }), { maxLength: 30 }),
    fc.anything(),
  );
  const shaped = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] })
    : fc.constant(undefined);
  return fc.oneof(shaped, fc.anything(), fc.constant(undefined));
}

beforeAll(async () => {
  t = await createTestDatabase();
  const { datasetId } = await registerDatasetIn(t.db, await readManifest(SAMPLE.slug));
  const [neuron] = await seedDemoCampaign(t.db, datasetId, { neurons: 1 });
  player = await createGuest(t.db);
  const a = await createGuest(t.db);
  await t.db.user.update({ where: { id: a.userId }, data: { role: "ADMIN" } });
  admin = { ...a, role: "ADMIN" };
  ids = { task: neuron!.tasks[0]!.id, neuron: neuron!.id, dataset: datasetId };
});
afterAll(async () => t?.drop());

describe.each(procedures)("fuzz %s", (path, proc) => {
  it(`${RUNS} random inputs: no internal error, and a rejected input changes nothing`, async () => {
    const keys = declaredKeys(proc);
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(inputArb(keys), fc.constantFrom<Actor | null>(null, player, admin), async (input, actor) => {
        const caller = createCallerFactory(appRouter)({ db: t.db, dbKind: t.kind, actor });
        const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (i: unknown) => Promise<unknown>;
        const before = await fingerprint();
        try {
          await fn(input);
        } catch (err) {
          const code = (err as { code?: string }).code;
          expect(code, `${path} threw ${String(err)}`).not.toBe("INTERNAL_SERVER_ERROR");
          expect(code, `${path} threw a non-tRPC error: ${String(err)}`).toBeDefined();
          rejected++;
          expect(await fingerprint(), `${path} changed stored data on a rejected input`).toBe(before);
        }
      }),
      { numRuns: RUNS, seed: 42 },
    );
    expect(rejected).toBeGreaterThan(0);
  });
});
