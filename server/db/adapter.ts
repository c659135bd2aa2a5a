// Chooses the database: PostgreSQL when DATABASE_URL is a postgresql:// URL, else embedded PGlite
// (files under .data/pglite, or in memory with "memory://").
import path from "node:path";
import { mkdirSync } from "node:fs";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

export type DatabaseKind = "pglite" | "postgresql";

export type DatabaseTarget = { kind: "postgresql"; url: string } | { kind: "pglite"; dataDir: string };

export function resolveDatabaseTarget(env: Record<string, string | undefined> = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//.test(url)) return { kind: "postgresql", url };
  if (url && !url.startsWith("pglite:")) {
    throw new Error(`DATABASE_URL must be a postgresql:// URL or pglite:<dir> (got "${url.split(":")[0]}:…")`);
  }
  const dir = url?.slice("pglite:".length) || env.AXONAUT_PGLITE_DIR || path.join(env.AXONAUT_DATA_DIR ?? ".data", "pglite");
  return { kind: "pglite", dataDir: dir };
}

export type AdapterFactory = SqlMigrationAwareDriverAdapterFactory & {
  closeEmbedded?: () => Promise<void>;
  /** The embedded PGlite itself, so the job queue (server/jobs) can share the one connection. */
  embedded?: import("@electric-sql/pglite").PGlite;
};

export async function createAdapterFactory(target: DatabaseTarget): Promise<AdapterFactory> {
  if (target.kind === "postgresql") {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({ connectionString: target.url, max: Number(process.env.AXONAUT_DB_POOL ?? 10) }) as unknown as AdapterFactory;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  if (target.dataDir !== "memory://") mkdirSync(target.dataDir, { recursive: true });
  const pglite = new PGlite(target.dataDir);
  await pglite.waitReady;
  const factory = new PrismaPGlite(pglite) as unknown as AdapterFactory;
  // PGlite lives in this process: close it so its files are consistent for the next process.
  factory.closeEmbedded = () => pglite.close();
  factory.embedded = pglite;
  return factory;
}
