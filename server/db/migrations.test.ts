// The committed migrations are the schema: applying them twice is a no-op, and they leave nothing
// of schema.prisma undone (a forgotten `npm run db:migration` fails here).
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdapterFactory, resolveDatabaseTarget, type AdapterFactory } from "./adapter";
import { applyMigrations, diffAgainstSchema } from "./schema-engine";

let factory: AdapterFactory;
beforeAll(async () => {
  factory = await createAdapterFactory({ kind: "pglite", dataDir: "memory://" });
});
afterAll(async () => factory.closeEmbedded?.());

it("applies every migration once, then nothing", async () => {
  const first = await applyMigrations(factory);
  expect(first.length).toBeGreaterThan(0);
  expect(first.every((n) => /^\d{14}_[a-z0-9_]+$/.test(n))).toBe(true);
  expect(await applyMigrations(factory)).toEqual([]);
});

it("leaves no difference between the migrated database and schema.prisma", async () => {
  const sql = await diffAgainstSchema(factory);
  expect(sql.replace(/^--.*$/gm, "").trim()).toBe("");
});

it("chooses the database from DATABASE_URL and says clearly when it is not one we support", () => {
  expect(resolveDatabaseTarget({ DATABASE_URL: "postgresql://u@h/db" })).toEqual({ kind: "postgresql", url: "postgresql://u@h/db" });
  expect(resolveDatabaseTarget({})).toEqual({ kind: "pglite", dataDir: ".data/pglite" });
  expect(resolveDatabaseTarget({ DATABASE_URL: "pglite:/tmp/x" })).toEqual({ kind: "pglite", dataDir: "/tmp/x" });
  expect(() => resolveDatabaseTarget({ DATABASE_URL: "mysql://u@h/db" })).toThrow(/postgresql:\/\//);
});
