// Fault test (issue #7): an import killed halfway (SIGKILL of its ingest process during the boundary-model
// stage) never shows a half-made dataset, and running the same import again cleans up what the killed run
// left and finishes. Also through the real queue (pg-boss, with its retry), and a failed import leaving
// nothing behind. Real database (PGlite, or PostgreSQL with DATABASE_URL), real child processes, real model.
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/services/actor";
import { getImport, runImportJob, startImport } from "@/server/services/imports";
import { startJobRuntime } from "@/server/jobs/runtime";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { makeCrop, tempDir, type Crop } from "./test-fixtures";

let t: TestDb;
let crop: Crop;
let store: string;
let admin: Actor;

const visible = async () => (await readdir(store).catch(() => [] as string[])).filter((n) => !n.startsWith("."));
const temps = async () => (await readdir(store).catch(() => [] as string[])).filter((n) => n.startsWith(".tmp-"));
const fields = { voxelSize: { x: 10, y: 10, z: 10 }, license: "CC BY 3.0", attribution: "Janelia FlyEM" };

beforeAll(async () => {
  t = await createTestDatabase();
  crop = await makeCrop({ depth: 24, width: 120, height: 110 });
  store = await tempDir("axonaut-kill-store-");
  const u = await t.db.user.create({ data: { username: "kill-admin", role: "ADMIN" } });
  admin = { userId: u.id, username: u.username, role: "ADMIN", isGuest: false };
}, 120_000);
afterAll(async () => {
  await t?.drop();
  await rm(crop.dir, { recursive: true, force: true });
  await rm(store, { recursive: true, force: true });
});

describe("kill an ingest halfway", () => {
  it("no half-made dataset shows; the re-run removes the leftover temp folder and completes", async () => {
    const { jobId } = await startImport(t.db, admin, { name: "Killed Crop", source: crop.sliceDir, ...fields }, "path");
    let pid = 0;
    let killedAt: string | null = null;
    const first = runImportJob(t.db, jobId, {
      storeDir: store,
      onSpawn: (p) => (pid = p),
      onProgress: (p) => {
        if (!killedAt && p.stage === "boundary-model") {
          killedAt = p.stage;
          process.kill(pid, "SIGKILL");
        }
      },
    });
    await expect(first).rejects.toThrow(/ingest process ended by SIGKILL/);
    expect(killedAt).toBe("boundary-model");

    // halfway: the killed run's temp folder is there, nothing else; no row; the job waits for its retry
    expect(await visible()).toEqual([]);
    expect(await temps()).toHaveLength(1);
    expect(await t.db.dataset.count()).toBe(0);
    const after = await getImport(t.db, admin, jobId);
    expect(after).toMatchObject({ status: "QUEUED", attempts: 1, stage: "boundary-model", datasetId: null });
    expect(after.error).toMatch(/SIGKILL/);

    // the retry: cleans up and finishes
    await runImportJob(t.db, jobId, { storeDir: store });
    const done = await getImport(t.db, admin, jobId);
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, stage: "finalize", error: null });
    expect(await temps()).toEqual([]);
    expect(await visible()).toEqual(["killed-crop"]);
    const ds = await t.db.dataset.findMany();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ id: done.datasetId, slug: "killed-crop", license: "CC BY 3.0", attribution: "Janelia FlyEM", width: 120, height: 110, depth: 24 });
  }, 240_000);

  it("through the queue (pg-boss on the same database): the killed first attempt is retried by the queue", async () => {
    let attempt = 0;
    const runtime = await startJobRuntime(
      t,
      {
        import: (id) => {
          attempt++;
          let pid = 0;
          return runImportJob(t.db, id, {
            storeDir: store,
            onSpawn: (p) => (pid = p),
            onProgress: (p) => {
              if (attempt === 1 && p.stage === "tiles" && p.done >= 1) process.kill(pid, "SIGKILL");
            },
          });
        },
      },
      { pollingIntervalSeconds: 0.5, ...(t.kind === "postgresql" ? { target: { connectionString: await testDbUrl() } } : {}) },
    );
    try {
      const { jobId } = await startImport(t.db, admin, { name: "Queued Crop", source: crop.sliceDir, ...fields }, "path");
      const seen = new Set<string>();
      let job = await getImport(t.db, admin, jobId);
      for (let i = 0; i < 400 && job.status !== "SUCCEEDED" && job.status !== "FAILED"; i++) {
        await new Promise((r) => setTimeout(r, 300));
        job = await getImport(t.db, admin, jobId);
        seen.add(job.status);
        // never a half-made dataset: the row only with its complete store folder
        const row = await t.db.dataset.findUnique({ where: { slug: "queued-crop" } });
        if (row) expect(await visible()).toContain("queued-crop");
      }
      expect(job, job.error ?? "").toMatchObject({ status: "SUCCEEDED", attempts: 2 });
      expect(attempt).toBe(2);
      expect(seen.has("RUNNING")).toBe(true);
      expect(await temps()).toEqual([]);
      expect(await t.db.dataset.count({ where: { slug: "queued-crop" } })).toBe(1);
    } finally {
      await runtime.stop();
    }
  }, 300_000);

  it("a failed import (mixed slice sizes) fails for good naming the file, and leaves nothing behind", async () => {
    const bad = path.join(crop.dir, "mixed");
    await mkdir(bad);
    await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 100, g: 100, b: 100 } } }).png().toFile(path.join(bad, "s0.png"));
    await sharp({ create: { width: 41, height: 30, channels: 3, background: { r: 100, g: 100, b: 100 } } }).png().toFile(path.join(bad, "s1.png"));
    const upload = path.join(crop.dir, "upload-dir");
    await mkdir(upload);
    const before = await readdir(store);
    const { jobId } = await startImport(t.db, admin, { name: "Mixed", source: bad, ...fields, uploadDir: upload }, "path");
    await runImportJob(t.db, jobId, { storeDir: store });
    const job = await getImport(t.db, admin, jobId);
    expect(job.status).toBe("FAILED");
    expect(job.error).toBe("s1.png is 41×30 but s0.png is 40×30 (all slices must have the same size)");
    expect(await readdir(store)).toEqual(before);
    expect(await t.db.dataset.count({ where: { slug: "mixed" } })).toBe(0);
    await expect(readdir(upload)).rejects.toThrow(/ENOENT/);
  }, 120_000);
});

/** The PostgreSQL URL of this file's own test database (pg-boss opens its own connections). */
async function testDbUrl(): Promise<string> {
  const rows = await t.db.$queryRawUnsafe<{ db: string }[]>("SELECT current_database() AS db");
  const db = rows[0]!.db;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${db}`;
  return url.toString();
}
