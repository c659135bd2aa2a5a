// Opens a database with the committed migrations applied first: for setup, the CLI and tests.
import { createAdapterFactory, resolveDatabaseTarget, type DatabaseTarget } from "./adapter";
import { clientFor, type DbHandle } from "./client";
import { applyMigrations } from "./schema-engine";

export async function openDatabase(target: DatabaseTarget = resolveDatabaseTarget()): Promise<DbHandle> {
  const factory = await createAdapterFactory(target);
  await applyMigrations(factory);
  return clientFor(factory, target.kind);
}
