// HTTP answers for exports made by jobs (server/services/exports.ts), read from the store.
//
// Downloads (`/export?format=`) answer 202 with the job while it runs, because the researcher page polls
// the job and a script can follow `Location`. The URLs that other programs read directly cannot follow a
// 202: Neuroglancer (`precomputed/…`), the 3D view (`mask`, `skeleton`) and the plain SWC link
// (`skeleton.swc`). Those queue the same job and wait for it a bounded time (AXONAUT_EXPORT_WAIT_S, 20 s),
// so a small neuron answers at once as before; a longer job answers 503 with Retry-After instead of
// holding the request. Stored files carry a strong ETag (their sha256): an unversioned URL is
// revalidated (no-cache, 304 when unchanged) because its content changes with the consensus, while a
// versioned download URL names one immutable file and is cached for a year. Neurons that not everyone
// may read are `private` in both cases.
import { readFile } from "node:fs/promises";
import type { Db } from "@/server/db/client";
import type { ExportFormat } from "@/server/export/export-neuron";
import { storedFilePath, type ExportManifest, type StoredFile } from "@/server/export/export-store";
import { notFound } from "@/server/services/errors";
import { awaitExport, exportVersion, getExportJob, requestExport, storedExport, type ExportArtifact, type ExportState } from "@/server/services/exports";
import type { VisibleNeuron } from "./rest-api";

const RETRY_AFTER_S = 2;
const waitMs = () => Math.max(0, Number(process.env.AXONAUT_EXPORT_WAIT_S ?? 20)) * 1000;
const noStore = { "Cache-Control": "no-store" };
const errorJson = (status: number, error: string, headers: Record<string, string> = {}, extra: object = {}) =>
  Response.json({ error, ...extra }, { status, headers: { ...noStore, ...headers } });

export const jobUrl = (jobId: string) => `/api/v1/jobs/${jobId}`;
export const downloadUrl = (neuronId: string, format: string, version: string) => `/api/v1/neurons/${neuronId}/export?format=${format}&version=${version}`;

/** If-None-Match against a strong ETag (a list, weak forms and `*` included). */
function notModified(req: Request, etag: string): boolean {
  const h = req.headers.get("if-none-match");
  if (!h) return false;
  return h.split(",").some((t) => {
    const v = t.trim().replace(/^W\//, "");
    return v === "*" || v === etag;
  });
}

type Caching = "revalidate" | "immutable";
const cacheControl = (n: VisibleNeuron, c: Caching) => `${n.public ? "public" : "private"}, ${c === "immutable" ? "max-age=31536000, immutable" : "no-cache"}`;

/** A stored file: 304 when the client has it, else 200 with its bytes, ETag and cache headers. */
async function sendStored(req: Request, key: string, where: "files" | "download", file: StoredFile, cache: string, headers: Record<string, string> = {}): Promise<Response> {
  const etag = `"${file.sha256.slice(0, 40)}"`;
  const common = { ETag: etag, "Cache-Control": cache, ...headers };
  if (notModified(req, etag)) return new Response(null, { status: 304, headers: common });
  const data = await readFile(storedFilePath(key, where, file)).catch(() => null);
  // Pruned between reading the manifest and the file: a newer version exists, ask again.
  if (!data) return errorJson(503, "this export was just replaced by a newer one; try again", { "Retry-After": "1", ...headers });
  return new Response(new Uint8Array(data), { status: 200, headers: { ...common, "Content-Type": file.contentType, ...(file.headers ?? {}) } });
}

function sendDownload(req: Request, n: VisibleNeuron, key: string, m: ExportManifest, format: ExportFormat, version: string, cache: Caching): Promise<Response> {
  const d = m.download!;
  return sendStored(req, key, "download", d, cacheControl(n, cache), {
    "Content-Disposition": `attachment; filename="${d.path}"`,
    "Content-Location": downloadUrl(n.id, format, version),
  });
}

function pending(s: Extract<ExportState, { state: "pending" }>, self: string): Response {
  const j = s.job;
  return Response.json(
    {
      status: j.status,
      job: { id: j.id, status: j.status, stage: j.stage, done: j.done, total: j.total, progress: j.total > 0 ? j.done / j.total : 0 },
      links: { job: jobUrl(j.id), retry: self },
    },
    { status: 202, headers: { ...noStore, "Retry-After": String(RETRY_AFTER_S), Location: jobUrl(j.id) } },
  );
}

/** `/export?format=[&version=]`: the download, or 202 with its job. */
export async function readExport(db: Db, req: Request, n: VisibleNeuron, format: ExportFormat, version: string | undefined): Promise<Response> {
  const self = new URL(req.url);
  if (version) {
    const stored = await storedExport(n.id, format, version);
    if (stored) return sendDownload(req, n, stored.key, stored, format, version, "immutable");
    if ((await exportVersion(db, n.id, format)) !== version) {
      return errorJson(404, "this version of the export is no longer stored (the consensus changed since): request it without version", {}, { field: "version" });
    }
  }
  const s = await requestExport(db, n.id, format, { ownerId: n.actor?.userId ?? null });
  if (s.state === "pending") return pending(s, `${self.pathname}${self.search}`);
  return sendDownload(req, n, s.key, s.manifest, format, s.version, version ? "immutable" : "revalidate");
}

/**
 * One file of a stored export for a reader that cannot follow a 202: `path` inside the export's files,
 * or null for its download. Waits for the job a bounded time, then 503 + Retry-After.
 */
export async function readExportFile(db: Db, req: Request, n: VisibleNeuron, artifact: ExportArtifact, path: string | null): Promise<Response> {
  const cors: Record<string, string> = artifact === "precomputed" ? { "Access-Control-Allow-Origin": "*" } : {};
  const s = await awaitExport(db, n.id, artifact, { ownerId: n.actor?.userId ?? null, waitMs: waitMs() });
  if (s.state === "failed") return errorJson(500, `the export failed: ${s.error}`, cors);
  if (s.state === "pending") {
    return errorJson(503, "the export is being prepared; try again in a few seconds", { "Retry-After": String(RETRY_AFTER_S), ...cors }, { links: { job: jobUrl(s.job.id) } });
  }
  const file = path === null ? s.manifest.download : s.manifest.files.find((f) => f.path === path);
  if (!file) return errorJson(404, `no file "${path}" in this neuron's ${artifact} export`, cors);
  const disposition: Record<string, string> = path === null ? { "Content-Disposition": `attachment; filename="${file.path}"` } : {};
  return sendStored(req, s.key, path === null ? "download" : "files", file, cacheControl(n, "revalidate"), { ...cors, ...disposition });
}

/** `/jobs/{id}`: an export job's progress, for whoever may read its neuron (404 for everyone else). */
export async function exportJobStatus(db: Db, req: Request, id: string, visible: (neuronId: string) => Promise<VisibleNeuron>): Promise<Response> {
  const j = await getExportJob(db, id);
  if (!j) throw notFound("job");
  await visible(j.neuronId).catch(() => {
    throw notFound("job");
  });
  const download = j.version && j.artifact !== "view3d" ? downloadUrl(j.neuronId, j.artifact, j.version) : null;
  return Response.json(
    {
      id: j.id, kind: "export", status: j.status, stage: j.stage, done: j.done, total: j.total,
      progress: j.status === "SUCCEEDED" ? 1 : j.total > 0 ? j.done / j.total : 0,
      attempts: j.attempts, error: j.error, neuronId: j.neuronId, format: j.artifact,
      createdAt: j.createdAt.toISOString(), updatedAt: j.updatedAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null,
      links: { self: jobUrl(j.id), download },
    },
    { headers: noStore },
  );
}
