/**
 * Importing a researcher's volume: validate the request, record it as a Job (kind "import"), and run
 * it later on the job queue (`runImportJob`): the ingest runs in a child process writing a temp folder
 * of the store, and the dataset is registered in the database only after the child succeeded, so a
 * dataset is never visible half-made. A failed import leaves no store folder, temp folder or row.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Db } from "@/server/db/client";
import { FORMATS, type FormatName } from "@/server/ingest/formats/volume";
import { isPrivateHost } from "@/server/ingest/formats/precomputed";
import { IngestInputError, runIngestChild } from "@/server/ingest/run-child";
import { resolveSlug } from "@/server/ingest/slug";
import { dispatchJob } from "@/server/jobs/runtime";
import { createJobRecord, markFailed, markRunning, markSucceeded, progressWriter } from "@/server/jobs/records";
import type { Actor } from "./actor";
import { badInput, conflict, forbidden, notFound } from "./errors";
import { registerDatasetIn } from "./register-dataset";

export const IMPORT_KIND = "import";
/** Attempts in all (the first and pg-boss's retries); matches the queue's default retryLimit of 2. */
const MAX_ATTEMPTS = 3;

const positive = z.number().positive().max(1e6);
export const voxelSizeSchema = z.object({ x: positive, y: positive, z: positive });
const coord = z.number().int().min(0).max(1e7);
export const regionSchema = z
  .object({ x0: coord, y0: coord, z0: coord, x1: coord, y1: coord, z1: coord })
  .refine((r) => r.x1 > r.x0 && r.y1 > r.y0 && r.z1 > r.z0, { message: "region: x1, y1, z1 must be greater than x0, y0, z0" });

/** What the form and the API send besides the source. */
export const importFieldsSchema = z.object({
  name: z.string().trim().min(1, "name must not be empty").max(80),
  format: z.enum(FORMATS as [FormatName, ...FormatName[]]).optional(),
  voxelSize: voxelSizeSchema.optional(),
  region: regionSchema.optional(),
  license: z.string().trim().min(1, "license is required (e.g. CC BY 4.0)").max(500),
  attribution: z.string().trim().min(1, "attribution is required (who to credit)").max(2000),
  /** Inside the source: an array/dataset path (zarr, hdf5) or a precomputed layer URL. */
  labels: z.string().trim().min(1).max(2000).optional(),
  groundTruth: z.string().trim().min(1).max(2000).optional(),
  array: z.string().trim().min(1).max(500).optional(),
});
export const importSourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("url"), url: z.url({ protocol: /^https?$/, error: "url must be an http(s) URL" }).max(2000) }),
  /** A folder or file on the server: admins only. */
  z.object({ kind: z.literal("path"), path: z.string().trim().min(1).max(2000) }),
]);
export const startImportSchema = importFieldsSchema.extend({ source: importSourceSchema });
export type StartImportInput = z.infer<typeof startImportSchema>;

const payloadSchema = importFieldsSchema.extend({
  source: z.string(),
  slug: z.string(),
  /** Upload folder to delete once the job is over. */
  uploadDir: z.string().optional(),
  /** Admins may import from loopback/private-network URLs; everyone else's job refuses them again at fetch time. */
  allowPrivateHosts: z.boolean().optional(),
});
type Payload = z.infer<typeof payloadSchema>;

function requireImporter(actor: Actor) {
  if (actor.role !== "RESEARCHER" && actor.role !== "ADMIN") throw forbidden("only researchers and admins can import volumes");
}

/** The one place that turns a request into a queued job (tRPC for URLs/paths, the upload route for files). */
export async function startImport(
  db: Db,
  actor: Actor,
  input: z.infer<typeof importFieldsSchema> & { source: string; uploadDir?: string; labelFiles?: { labels?: string; groundTruth?: string } },
  origin: "url" | "path" | "upload",
): Promise<{ jobId: string }> {
  requireImporter(actor);
  if (origin === "path" && actor.role !== "ADMIN") throw forbidden("only admins can import from a path on the server");
  if (origin === "url") {
    const host = new URL(input.source).hostname;
    if (actor.role !== "ADMIN" && isPrivateHost(host)) throw badInput(`url: ${host} is a loopback or private-network host`);
  }
  if (origin === "path" && !path.isAbsolute(input.source)) throw badInput("path must be absolute");
  let slug: string;
  try {
    slug = resolveSlug(input.name);
  } catch (e) {
    throw badInput(`name: ${(e as Error).message}`);
  }
  if (await db.dataset.findUnique({ where: { slug }, select: { id: true } })) throw conflict(`a dataset named "${slug}" exists already; choose another name`);
  const busy = await db.job.findFirst({ where: { kind: IMPORT_KIND, status: { in: ["QUEUED", "RUNNING"] }, payload: { path: ["slug"], equals: slug } }, select: { id: true } });
  if (busy) throw conflict(`an import of "${slug}" is already running`);
  const payload: Payload = {
    ...input,
    labels: input.labelFiles?.labels ?? input.labels,
    groundTruth: input.labelFiles?.groundTruth ?? input.groundTruth,
    slug,
    allowPrivateHosts: actor.role === "ADMIN",
  };
  delete (payload as { labelFiles?: unknown }).labelFiles;
  const job = await createJobRecord(db, { kind: IMPORT_KIND, ownerId: actor.userId, title: input.name, payload: payload as never });
  await dispatchJob(IMPORT_KIND, job.id);
  return { jobId: job.id };
}

const jobView = {
  id: true,
  status: true,
  title: true,
  stage: true,
  done: true,
  total: true,
  attempts: true,
  error: true,
  result: true,
  createdAt: true,
  updatedAt: true,
  finishedAt: true,
  payload: true,
} as const;

function view(j: { payload: unknown; result: unknown } & Record<string, unknown>) {
  const p = payloadSchema.partial().safeParse(j.payload);
  const r = z.object({ datasetId: z.string(), slug: z.string() }).safeParse(j.result);
  const { payload: _p, result: _r, ...rest } = j;
  void _p;
  void _r;
  return {
    ...(rest as {
      id: string;
      status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
      title: string;
      stage: string | null;
      done: number;
      total: number;
      attempts: number;
      error: string | null;
      createdAt: Date;
      updatedAt: Date;
      finishedAt: Date | null;
    }),
    license: p.success ? (p.data.license ?? "") : "",
    attribution: p.success ? (p.data.attribution ?? "") : "",
    datasetId: r.success ? r.data.datasetId : null,
  };
}
export type ImportJobView = ReturnType<typeof view>;

/** The caller's imports (an admin sees everyone's), newest first. */
export async function listImports(db: Db, actor: Actor): Promise<ImportJobView[]> {
  requireImporter(actor);
  const rows = await db.job.findMany({
    where: { kind: IMPORT_KIND, ...(actor.role === "ADMIN" ? {} : { ownerId: actor.userId }) },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: jobView,
  });
  return rows.map(view);
}

export async function getImport(db: Db, actor: Actor, id: string): Promise<ImportJobView> {
  requireImporter(actor);
  const row = await db.job.findFirst({ where: { id, kind: IMPORT_KIND, ...(actor.role === "ADMIN" ? {} : { ownerId: actor.userId }) }, select: jobView });
  if (!row) throw notFound("import");
  return view(row);
}

// ---------------------------------------------------------------- the worker

export type RunImportOptions = {
  storeDir: string;
  onSpawn?: (pid: number) => void;
  /** Also told every progress event (tests, logs); the Job row gets them regardless. */
  onProgress?: (p: { stage: string; done: number; total: number }) => void;
  env?: NodeJS.ProcessEnv;
};

function cliArgs(p: Payload, storeDir: string): string[] {
  const a = [p.source, "--name", p.name, "--slug", p.slug, "--store", storeDir, "--license", p.license, "--attribution", p.attribution];
  if (p.format) a.push("--format", p.format);
  if (p.voxelSize) a.push("--voxel-size", `${p.voxelSize.x},${p.voxelSize.y},${p.voxelSize.z}`);
  if (p.region) a.push("--region", [p.region.x0, p.region.y0, p.region.z0, p.region.x1, p.region.y1, p.region.z1].join(","));
  if (p.labels) a.push("--labels", p.labels);
  if (p.groundTruth) a.push("--ground-truth", p.groundTruth);
  if (p.array) a.push("--array", p.array);
  if (!p.allowPrivateHosts) a.push("--deny-private-hosts");
  return a;
}

/**
 * One attempt at an import job (the queue's handler). Bad input fails the job for good with the
 * ingest's message; a crash (the child killed, say) puts it back to QUEUED and throws, so the queue
 * retries it, and the retry first removes what the killed run left in the store.
 */
export async function runImportJob(db: Db, jobId: string, opts: RunImportOptions): Promise<void> {
  const job = await markRunning(db, jobId);
  if (!job) return; // finished already, or another instance has it
  const parsed = payloadSchema.safeParse(job.payload);
  if (!parsed.success) {
    await markFailed(db, jobId, `corrupt job payload: ${parsed.error.issues[0]?.message}`, true);
    return;
  }
  const p = parsed.data;
  const progress = progressWriter(db, jobId);
  const cleanupUpload = async () => {
    if (p.uploadDir) await rm(p.uploadDir, { recursive: true, force: true });
  };
  try {
    const manifest = await runIngestChild(cliArgs(p, opts.storeDir), {
      onProgress: (ev) => {
        progress.update(ev);
        opts.onProgress?.(ev);
      },
      onSpawn: opts.onSpawn,
      env: opts.env,
    });
    await progress.flush();
    let datasetId: string;
    try {
      ({ datasetId } = await registerDatasetIn(db, manifest));
    } catch (e) {
      // never leave a store folder without its row
      await rm(path.join(opts.storeDir, manifest.slug), { recursive: true, force: true });
      throw new IngestInputError(`database registration failed: ${(e as Error).message}`);
    }
    await markSucceeded(db, jobId, { datasetId, slug: manifest.slug });
    await cleanupUpload();
  } catch (e) {
    await progress.flush();
    const final = e instanceof IngestInputError || job.attempts >= MAX_ATTEMPTS;
    await markFailed(db, jobId, (e as Error).message, final);
    if (final) {
      await cleanupUpload();
      return;
    }
    throw e;
  }
}
