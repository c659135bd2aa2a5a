import "server-only";
// Serving the data store's files: immutable once a dataset is ready, so long-lived caching plus an ETag.
import { readFile, stat } from "node:fs/promises";
import { getDatabase } from "@/server/db/client";

const slugs = new Map<string, string>();

/** Dataset id → slug for READY datasets (cached; ids are UUIDs and never reused). */
export async function datasetSlug(id: string): Promise<string | null> {
  const cached = slugs.get(id);
  if (cached) return cached;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { db } = await getDatabase();
  const ds = await db.dataset.findFirst({ where: { id, status: "READY" }, select: { slug: true } });
  if (ds) slugs.set(id, ds.slug);
  return ds?.slug ?? null;
}

export async function serveFile(req: Request, file: string, headers: Record<string, string>): Promise<Response | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const common = { ETag: etag, "Cache-Control": "public, max-age=31536000, immutable", ...headers };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: common });
  return new Response(new Uint8Array(await readFile(file)), { status: 200, headers: { ...common, "Content-Length": String(info.size) } });
}
