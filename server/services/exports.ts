/**
 * Exports as background jobs (kind "export"). An export is made from a neuron's consensus by a job on the
 * queue, on any instance, and stored in the data store under a key naming the neuron, the format and a
 * version: a hash of everything the export is made from. A stored export therefore never changes, and a
 * changed consensus (a new retired cube, a recomputation, a reviewer's override) gives a new key.
 *
 * `requestExport` answers the stored export, or the job making it: the one already queued or running for
 * that key when there is one (an advisory lock on the key makes concurrent requests join one job), else
 * a new one. Authorization is the caller's (REST: the neuron's visibility rules).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/server/db/client";
import { EXPORT_FORMATS, exportFiles, safeName, viewFiles } from "@/server/export/export-neuron";
import { exportsRoot, pruneExports, readExportManifest, writeExport, type ExportManifest, type FileToStore } from "@/server/export/export-store";
import { loadReconstruction } from "@/server/export/reconstruction";
import { tarGz } from "@/server/export/tar";
import { dispatchJob } from "@/server/jobs/runtime";
import { claimJob, markFailed, markSucceeded, progressWriter } from "@/server/jobs/records";
import { conflict, DomainError, notFound } from "./errors";

export const EXPORT_KIND = "export";
/** The public formats, and "view3d": the mask and skeleton JSON that the neuron page's 3D view reads. */
export const EXPORT_ARTIFACTS = [...EXPORT_FORMATS, "view3d"] as const;
export type ExportArtifact = (typeof EXPORT_ARTIFACTS)[number];
/** Bump when an encoder's output changes, so stored exports are made again. */
const EXPORT_CODE_VERSION = 1;
const MAX_ATTEMPTS = 3;
/** Versions kept per neuron and format (an older one may still be downloading). */
const KEEP_VERSIONS = 3;

export const exportVersionSchema = z.string().regex(/^[0-9a-f]{32}$/, "must be 32 hex digits (an export version)");
const payloadSchema = z.object({ neuronId: z.string().uuid(), artifact: z.enum(EXPORT_ARTIFACTS), version: exportVersionSchema, key: z.string() });
const resultSchema = z.object({ key: z.string(), version: exportVersionSchema });

export const exportKey = (neuronId: string, artifact: ExportArtifact, version: string) => `${neuronId}/${artifact}-${version}`;

/**
 * The version of a neuron's export as it would be made now: a hash of the neuron, its dataset's license
 * and geometry, every retired cube's consensus (and, for csv, the traces). NOT_FOUND for an unknown
 * neuron, CONFLICT while no cube has a consensus: nothing to export (and nothing is queued).
 */
export async function exportVersion(db: Db, neuronId: string, artifact: ExportArtifact): Promise<string> {
  const n = await db.neuron.findUnique({
    where: { id: neuronId },
    select: {
      id: true, name: true, color: true, seedX: true, seedY: true, seedZ: true,
      dataset: { select: { id: true, slug: true, name: true, license: true, attribution: true, voxelSizeX: true, voxelSizeY: true, voxelSizeZ: true } },
      tasks: {
        where: { status: "RETIRED" },
        orderBy: { id: "asc" },
        select: { id: true, x0: true, y0: true, z0: true, x1: true, y1: true, z1: true, consensus: true, confidence: true, submissions: true, retiredAt: true },
      },
    },
  });
  if (!n) throw notFound("neuron");
  if (!n.tasks.some((t) => t.consensus.length > 0)) throw conflict("no cube of this neuron has a consensus yet: its first cube needs enough players to retire");
  const traces = artifact === "csv" ? await db.trace.findMany({ where: { task: { neuronId } }, orderBy: { id: "asc" }, select: { id: true, points: true, f1: true } }) : [];
  return createHash("sha256").update(JSON.stringify([EXPORT_CODE_VERSION, artifact, n, traces])).digest("hex").slice(0, 32);
}

export type ExportJobState = { id: string; status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED"; stage: string | null; done: number; total: number };
export type ExportState =
  | { state: "ready"; key: string; version: string; manifest: ExportManifest }
  | { state: "pending"; key: string; version: string; job: ExportJobState };

const jobState = { id: true, status: true, stage: true, done: true, total: true } as const;

/** The stored export of the current version, or the job (joined or new) that makes it. */
export async function requestExport(db: Db, neuronId: string, artifact: ExportArtifact, opts: { ownerId: string | null; root?: string }): Promise<ExportState> {
  const root = opts.root ?? exportsRoot();
  const version = await exportVersion(db, neuronId, artifact);
  const key = exportKey(neuronId, artifact, version);
  const manifest = await readExportManifest(key, root);
  if (manifest) return { state: "ready", key, version, manifest };
  const { job, created } = await db.$transaction(async (tx) => {
    // One job per key, across requests and instances: the lock is held until this transaction ends.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`export:${key}`}))`;
    const busy = await tx.job.findFirst({ where: { kind: EXPORT_KIND, status: { in: ["QUEUED", "RUNNING"] }, payload: { path: ["key"], equals: key } }, select: jobState });
    if (busy) return { job: busy, created: false };
    const payload: z.infer<typeof payloadSchema> = { neuronId, artifact, version, key };
    const row = await tx.job.create({ data: { kind: EXPORT_KIND, ownerId: opts.ownerId, title: `Export ${artifact} of neuron ${neuronId}`, payload, status: "QUEUED" }, select: jobState });
    return { job: row, created: true };
  });
  if (created) await dispatchJob(EXPORT_KIND, job.id);
  return { state: "pending", key, version, job };
}

/** A stored export by its version (an older one while it is kept), or null. */
export function storedExport(neuronId: string, artifact: ExportArtifact, version: string, root = exportsRoot()): Promise<ExportManifest | null> {
  return readExportManifest(exportKey(neuronId, artifact, version), root);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `requestExport`, then waits up to `waitMs` for its job: for readers that cannot follow a 202
 * (Neuroglancer, the 3D view, plain links). Still pending at the deadline: the pending state.
 * A job that failed for good: its error, as `failed`.
 */
export async function awaitExport(
  db: Db,
  neuronId: string,
  artifact: ExportArtifact,
  opts: { ownerId: string | null; waitMs: number; root?: string; pollMs?: number },
): Promise<ExportState | { state: "failed"; error: string }> {
  const deadline = Date.now() + opts.waitMs;
  let s = await requestExport(db, neuronId, artifact, opts);
  while (s.state === "pending" && Date.now() < deadline) {
    await sleep(Math.min(opts.pollMs ?? 300, Math.max(0, deadline - Date.now())));
    const job = await db.job.findUnique({ where: { id: s.job.id }, select: { ...jobState, error: true, result: true } });
    if (job?.status === "FAILED") return { state: "failed", error: job.error ?? "the export failed" };
    if (job?.status === "SUCCEEDED") {
      const r = resultSchema.safeParse(job.result);
      const manifest = r.success ? await readExportManifest(r.data.key, opts.root ?? exportsRoot()) : null;
      // The job may have stored a newer version than asked for (the consensus changed meanwhile): fine.
      if (r.success && manifest) return { state: "ready", key: r.data.key, version: r.data.version, manifest };
      s = await requestExport(db, neuronId, artifact, opts); // stored files gone: make them again
    } else if (job) s = { ...s, job };
  }
  return s;
}

export type ExportJobView = ExportJobState & {
  attempts: number;
  error: string | null;
  neuronId: string;
  artifact: ExportArtifact;
  /** The version stored, once it succeeded. */
  version: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
};

/** An export job, or null (unknown id, another kind, a corrupt row). Visibility is the caller's check. */
export async function getExportJob(db: Db, id: string): Promise<ExportJobView | null> {
  const j = await db.job.findFirst({ where: { id, kind: EXPORT_KIND } });
  const p = payloadSchema.safeParse(j?.payload);
  if (!j || !p.success) return null;
  const r = resultSchema.safeParse(j.result);
  return {
    id: j.id, status: j.status, stage: j.stage, done: j.done, total: j.total, attempts: j.attempts, error: j.error,
    neuronId: p.data.neuronId, artifact: p.data.artifact, version: j.status === "SUCCEEDED" && r.success ? r.data.version : null,
    createdAt: j.createdAt, updatedAt: j.updatedAt, finishedAt: j.finishedAt,
  };
}

// ---------------------------------------------------------------- the worker

const STEPS = 3;

/** Makes and stores the current version; returns its key. Repeats when the consensus changed while it read. */
async function buildExport(db: Db, neuronId: string, artifact: ExportArtifact, root: string, step: (stage: string, done: number) => void) {
  for (let tries = 0; tries < 3; tries++) {
    const version = await exportVersion(db, neuronId, artifact);
    const key = exportKey(neuronId, artifact, version);
    if (await readExportManifest(key, root)) return { key, version, files: 0 };
    step("reconstructing", 0);
    const r = await loadReconstruction(db, neuronId);
    step("encoding", 1);
    const files: FileToStore[] = artifact === "view3d" ? viewFiles(r) : await exportFiles(db, r, artifact);
    // Stored under a version, the files must be made from exactly that version's inputs.
    if ((await exportVersion(db, neuronId, artifact)) !== version) continue;
    step("writing", 2);
    const folder = `${safeName(r.neuron.name)}-${artifact}`;
    const download = artifact === "view3d" ? null : files.length === 1 ? files[0]! : { path: `${folder}.tar.gz`, contentType: "application/gzip", data: tarGz(files, folder) };
    await writeExport(key, files, download, root);
    await pruneExports(neuronId, artifact, KEEP_VERSIONS, root);
    return { key, version, files: files.length };
  }
  throw new Error("the neuron's consensus kept changing while the export was made; it is tried again later");
}

/** The job's worker (server/jobs/server-runtime.ts): any instance may run it; pg-boss retries a failure. */
export async function runExportJob(db: Db, jobId: string, opts: { root?: string } = {}): Promise<void> {
  const claimed = await claimJob(db, jobId, payloadSchema);
  if (!claimed) return;
  const { job, payload } = claimed;
  const progress = progressWriter(db, jobId);
  try {
    const { neuronId, artifact } = payload;
    const result = await buildExport(db, neuronId, artifact, opts.root ?? exportsRoot(), (stage, done) => progress.update({ stage, done, total: STEPS }));
    progress.update({ stage: "done", done: STEPS, total: STEPS });
    await progress.flush();
    await markSucceeded(db, jobId, result);
  } catch (e) {
    await progress.flush();
    // A neuron deleted or left without consensus will not get better by retrying.
    const final = e instanceof DomainError || job.attempts >= MAX_ATTEMPTS;
    await markFailed(db, jobId, (e as Error).message, final);
    if (!final) throw e;
  }
}
