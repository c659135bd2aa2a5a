// Database client for the whole server: one PrismaClient over a driver adapter (PGlite or PostgreSQL),
// with the committed migrations applied once before first use.
import { PrismaClient } from "./generated/client";
import { createAdapterFactory, resolveDatabaseTarget, type DatabaseKind, type DatabaseTarget } from "./adapter";
import { applyMigrations } from "./schema-engine";

export type Db = PrismaClient;
export type DbHandle = { db: Db; kind: DatabaseKind; close(): Promise<void> };

export async function openDatabase(target: DatabaseTarget = resolveDatabaseTarget(), opts: { migrate?: boolean } = {}): Promise<DbHandle> {
  const factory = await createAdapterFactory(target);
  if (opts.migrate !== false) await applyMigrations(factory);
  const db = new PrismaClient({ adapter: factory });
  return {
    db,
    kind: target.kind,
    close: async () => {
      await db.$disconnect();
      await factory.closeEmbedded?.();
    },
  };
}

// One handle per process; kept on globalThis so Next's dev reloads do not open PGlite twice.
const g = globalThis as unknown as { __axonautDb?: Promise<DbHandle> };

export function getDatabase(): Promise<DbHandle> {
  g.__axonautDb ??= openDatabase().catch((err) => {
    g.__axonautDb = undefined;
    throw err;
  });
  return g.__axonautDb;
}
