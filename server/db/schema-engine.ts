// The one place that knows how to run Prisma migrations without network: the Prisma schema engine
// compiled to WebAssembly (@prisma/schema-engine-wasm), driven over a driver adapter. Works for PGlite and
// PostgreSQL alike. See README "Database".
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { splitSqlStatements } from "./sql-split";

const require = createRequire(import.meta.url);
let wasmReady: Promise<void> | null = null;

function initWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
    const bytes = await readFile(wasmPath);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { "./schema_engine_bg.js": bg as never });
    (bg as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  })();
  return wasmReady;
}

// The project root: Next bundles this module, so import.meta.url is not a reliable anchor.
export const repoRoot = process.env.AXONAUT_ROOT ?? process.cwd();
export const schemaPath = path.join(repoRoot, "prisma", "schema.prisma");
export const migrationsDir = path.join(repoRoot, "prisma", "migrations");

type Engine = Awaited<ReturnType<typeof bg.SchemaEngine.new>>;
const noFilters = { externalTables: [], externalEnums: [] };

async function openEngine(factory: SqlMigrationAwareDriverAdapterFactory, schemaText: string): Promise<Engine> {
  await initWasm();
  const log = (msg: string) => {
    if (process.env.AXONAUT_DEBUG_MIGRATIONS) console.error("[schema-engine]", msg);
  };
  return bg.SchemaEngine.new({ datamodels: [["schema.prisma", schemaText]] }, log, bindMigrationAwareSqlAdapterFactory(wholeStatements(factory)));
}

type Adapter = Awaited<ReturnType<SqlMigrationAwareDriverAdapterFactory["connect"]>>;

/**
 * @prisma/adapter-pg runs a migration script by splitting it at every ';', which breaks PL/pgSQL function
 * bodies (the classrooms migration has a trigger function). Its connections here run the script one
 * statement at a time, split where statements really end (PGlite already runs a script whole).
 */
function wholeStatements(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: Adapter): Adapter => {
    if (adapter.adapterName !== "@prisma/adapter-pg") return adapter;
    const executeScript = async (script: string) => {
      for (const sql of splitSqlStatements(script)) await adapter.executeRaw({ sql, args: [], argTypes: [] });
    };
    return new Proxy(adapter, { get: (target, key, receiver) => (key === "executeScript" ? executeScript : Reflect.get(target, key, receiver)) });
  };
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key === "connect") return async () => patch(await target.connect());
      if (key === "connectToShadowDb") return async () => patch(await target.connectToShadowDb());
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Reads prisma/migrations into the engine's MigrationList shape. */
export async function readMigrations(dir = migrationsDir) {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => ({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: await readFile(path.join(dir, name, "migration.sql"), "utf8") } },
    })),
  );
  const lockPath = path.join(dir, "migration_lock.toml");
  const lock = await readFile(lockPath, "utf8").catch(() => null);
  return { baseDir: dir, lockfile: { path: "migration_lock.toml", content: lock }, shadowDbInitScript: "", migrationDirectories };
}

/** Applies committed migrations that the database lacks; returns the names applied now. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openEngine(factory, await readFile(schemaPath, "utf8"));
  try {
    const out = await engine.applyMigrations({ migrationsList: await readMigrations(), filters: noFilters });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * SQL that takes a database holding the committed migrations to the current schema.prisma.
 * `factory` must point at a scratch database where the migrations have already been applied.
 */
export async function diffAgainstSchema(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const schemaText = await readFile(schemaPath, "utf8");
  const engine = await openEngine(factory, schemaText);
  try {
    const files = [{ path: schemaPath, content: schemaText }];
    const out = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: repoRoot } as never,
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return (out as { stdout: string }).stdout;
  } finally {
    engine.free();
  }
}
