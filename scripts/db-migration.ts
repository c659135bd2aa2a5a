// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that takes the committed migrations to the current schema.prisma (computed on an in-memory PGlite).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { createAdapterFactory } from "@/server/db/adapter";
import { applyMigrations, diffAgainstSchema, migrationsDir } from "@/server/db/schema-engine";

const name = z.string().regex(/^[a-z0-9_]+$/, "migration name: lower-case letters, digits and _ only").parse(process.argv[2]);
await mkdir(migrationsDir, { recursive: true });
await writeFile(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
const factory = await createAdapterFactory({ kind: "pglite", dataDir: "memory://" });
await applyMigrations(factory);
const sql = await diffAgainstSchema(factory);
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log("schema.prisma matches the migrations: nothing to write");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
