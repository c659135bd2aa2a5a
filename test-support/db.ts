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
