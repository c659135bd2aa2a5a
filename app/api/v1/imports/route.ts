// POST /api/v1/imports: upload a volume (multipart form) and start its import job. Researchers and admins.
import path from "node:path";
import { rm } from "node:fs/promises";
import { createRequestContext } from "@/server/http/context";
import { errorResponse } from "@/server/http/errors";
import { UPLOAD_LIMIT_BYTES, UploadError, saveUpload } from "@/server/ingest/upload";
import { ensureJobRuntime } from "@/server/jobs/server-runtime";
import { startImport } from "@/server/services/imports";

export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  try {
    const { db, actor } = await createRequestContext();
    if (!actor) return Response.json({ error: "Sign in first" }, { status: 401 });
    if (actor.role !== "RESEARCHER" && actor.role !== "ADMIN") return Response.json({ error: "only researchers and admins can import volumes" }, { status: 403 });
    const length = Number(req.headers.get("content-length") ?? 0);
    if (length > UPLOAD_LIMIT_BYTES + 1_000_000) return Response.json({ error: `upload is larger than the limit of ${UPLOAD_LIMIT_BYTES} bytes` }, { status: 413 });
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      return Response.json({ error: "expected a multipart/form-data body" }, { status: 400 });
    }
    const uploads = path.resolve(/*turbopackIgnore: true*/ process.env.AXONAUT_DATA_DIR ?? ".data", "uploads");
    const saved = await saveUpload(form, uploads);
    try {
      await ensureJobRuntime();
      const { jobId } = await startImport(db, actor, { ...saved.fields, source: saved.source, uploadDir: saved.uploadDir, labelFiles: saved.labelFiles }, "upload");
      return Response.json({ jobId }, { status: 202 });
    } catch (e) {
      await rm(saved.uploadDir, { recursive: true, force: true });
      throw e;
    }
  } catch (e) {
    if (e instanceof UploadError) return Response.json({ error: e.message }, { status: e.status });
    return errorResponse(e);
  }
}
