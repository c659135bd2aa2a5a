// Database client for the whole server: one PrismaClient over a driver adapter (PGlite or PostgreSQL).
// Migrations are applied before the server starts (server/db/migrated.ts, run by `npm start`'s setup),
// so the web server never loads the schema engine.
import { PrismaClient } from "./generated/client";
import { createAdapterFactory, resolveDatabaseTarget, type AdapterFactory, type DatabaseKind, type DatabaseTarget } from "./adapter";

export type Db = PrismaClient;
export type DbHandle = { db: Db; kind: DatabaseKind; close(): Promise<void>; embedded?: AdapterFactory["embedded"] };

export function clientFor(factory: AdapterFactory, kind: DatabaseKind): DbHandle {
  const db = new PrismaClient({ adapter: factory });
  return {
    db,
    kind,
    embedded: factory.embedded,
    close: async () => {
      await db.$disconnect();
      await factory.closeEmbedded?.();
    },
  };
}

export async function connectDatabase(target: DatabaseTarget = resolveDatabaseTarget()): Promise<DbHandle> {
  return clientFor(await createAdapterFactory(target), target.kind);
}

// One handle per process; kept on globalThis so Next's dev reloads do not open PGlite twice.
const g = globalThis as unknown as { __axonautDb?: Promise<DbHandle> };

export function getDatabase(): Promise<DbHandle> {
  g.__axonautDb ??= connectDatabase().catch((err) => {
    g.__axonautDb = undefined;
    throw err;
  });
  return g.__axonautDb;
}
