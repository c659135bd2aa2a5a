// A fresh, migrated database per test file: in-memory PGlite by default, or a new database on the
// PostgreSQL server that DATABASE_URL names (created here, dropped afterwards). Prisma is never mocked.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { resolveDatabaseTarget } from "@/server/db/adapter";
import type { DbHandle } from "@/server/db/client";
import { openDatabase } from "@/server/db/migrated";

export type TestDb = DbHandle & { drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDb> {
  const target = resolveDatabaseTarget();
  if (target.kind === "pglite") {
    const handle = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    return { ...handle, drop: handle.close };
  }
  const name = `axonaut_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(target.url);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgresql", url: url.toString() });
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: target.url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Where a test's job queue (pg-boss) runs: on PGlite the app's own instance (the runtime's default), on
 * PostgreSQL this test's own database, where pg-boss opens its own pool.
 */
export async function queueTarget(t: TestDb): Promise<{ target?: { connectionString: string } }> {
  if (t.kind !== "postgresql") return {};
  const db = (await t.db.$queryRaw<{ db: string }[]>`SELECT current_database() AS db`)[0]!.db;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${db}`;
  return { target: { connectionString: url.toString() } };
}
