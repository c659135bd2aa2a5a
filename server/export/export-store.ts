// Finished exports in the data store, beside the tiles: <root>/<neuronId>/<format>-<version>/ where the
// version is a hash of everything the export is made from (server/services/exports.ts). A folder is
// written under a temporary name and renamed into place whole, so a folder that exists is complete and
// never changes: any instance (or a CDN in front of a shared store) may serve it with long-lived caching.
//
//   manifest.json   what is there: each file's path, type, size, sha256 (the ETag) and headers
//   files/<path>    the export's files (precomputed: info, chunks, skeletons/…)
//   download/<name> the one file a person downloads (the .swc/.nml itself, or a .tar.gz of files/)
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { storeRoot } from "@/server/store/store";

/** Where exports live: `AXONAUT_EXPORTS`, else `_exports` in the store (no dataset slug starts with "_"). */
export function exportsRoot(env: Record<string, string | undefined> = process.env): string {
  return env.AXONAUT_EXPORTS ? path.resolve(/*turbopackIgnore: true*/ env.AXONAUT_EXPORTS) : path.join(storeRoot(env), "_exports");
}

/** `<neuron uuid>/<format>-<32 hex>`: checked before it becomes a path. */
export const exportKeyPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[a-z0-9]+-[0-9a-f]{32}$/;
const filePathPattern = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

const storedFileSchema = z.object({
  path: z.string().regex(filePathPattern),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type StoredFile = z.infer<typeof storedFileSchema>;
const manifestSchema = z.object({
  key: z.string(),
  createdAt: z.string(),
  files: z.array(storedFileSchema),
  download: storedFileSchema.nullable(),
});
export type ExportManifest = z.infer<typeof manifestSchema>;
export type FileToStore = { path: string; contentType: string; data: Uint8Array | string; headers?: Record<string, string> };

function keyDir(key: string, root: string): string {
  if (!exportKeyPattern.test(key)) throw new Error(`invalid export key "${key}"`);
  return path.join(root, ...key.split("/"));
}

/** The stored file of a finished export (`files/<path>` or `download/<name>`), by its manifest entry. */
export function storedFilePath(key: string, where: "files" | "download", file: StoredFile, root = exportsRoot()): string {
  if (!filePathPattern.test(file.path) || file.path.split("/").includes("..")) throw new Error(`invalid export file path "${file.path}"`);
  return path.join(keyDir(key, root), where, ...file.path.split("/"));
}

/** The manifest of a finished export, or null when it is not (yet) stored. */
export async function readExportManifest(key: string, root = exportsRoot()): Promise<ExportManifest | null> {
  const text = await readFile(path.join(keyDir(key, root), "manifest.json"), "utf8").catch(() => null);
  if (text === null) return null;
  const m = manifestSchema.safeParse(JSON.parse(text));
  return m.success && m.data.key === key ? m.data : null;
}

const bytesOf = (d: Uint8Array | string) => (typeof d === "string" ? Buffer.from(d, "utf8") : d);
const sha256 = (d: Uint8Array) => createHash("sha256").update(d).digest("hex");

async function put(dir: string, f: FileToStore): Promise<StoredFile> {
  if (!filePathPattern.test(f.path) || f.path.split("/").includes("..")) throw new Error(`invalid export file path "${f.path}"`);
  const data = bytesOf(f.data);
  const file = path.join(dir, ...f.path.split("/"));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
  return { path: f.path, contentType: f.contentType, size: data.byteLength, sha256: sha256(data), ...(f.headers ? { headers: f.headers } : {}) };
}

/**
 * Writes a finished export under `key`, all at once. When another instance stored the same key first,
 * that one is kept (same inputs, same export) and returned.
 */
export async function writeExport(key: string, files: FileToStore[], download: FileToStore | null, root = exportsRoot()): Promise<ExportManifest> {
  const final = keyDir(key, root);
  const tmp = path.join(path.dirname(final), `.tmp-${randomUUID()}`);
  try {
    const stored: StoredFile[] = [];
    for (const f of files) stored.push(await put(path.join(tmp, "files"), f));
    const manifest: ExportManifest = { key, createdAt: new Date().toISOString(), files: stored, download: download ? await put(path.join(tmp, "download"), download) : null };
    await writeFile(path.join(tmp, "manifest.json"), JSON.stringify(manifest));
    try {
      await rename(tmp, final);
      return manifest;
    } catch (e) {
      const existing = await readExportManifest(key, root);
      if (existing) return existing; // stored meanwhile by another worker
      throw e;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Temporary folders older than this belong to a worker that died. */
const TMP_MAX_AGE_MS = 60 * 60_000;

/**
 * Removes all but the newest `keep` stored versions of one neuron's format (a version stays a while for
 * anyone still downloading it), and temporary folders left by dead workers.
 */
export async function pruneExports(neuronId: string, format: string, keep = 3, root = exportsRoot()): Promise<number> {
  const dir = path.join(root, neuronId);
  const names = await readdir(dir).catch(() => [] as string[]);
  const aged = await Promise.all(names.map(async (n) => ({ n, mtime: (await stat(path.join(dir, n)).catch(() => null))?.mtimeMs ?? 0 })));
  const versions = aged.filter((a) => a.n.startsWith(`${format}-`)).sort((a, b) => b.mtime - a.mtime);
  const stale = [...versions.slice(keep), ...aged.filter((a) => a.n.startsWith(".tmp-") && Date.now() - a.mtime > TMP_MAX_AGE_MS)];
  for (const s of stale) await rm(path.join(dir, s.n), { recursive: true, force: true });
  return stale.length;
}

/** Removes every stored export of these neurons (they were deleted: nothing may serve them again). */
export async function removeNeuronExports(neuronIds: readonly string[], root = exportsRoot()): Promise<void> {
  for (const id of neuronIds) {
    // Ids come from the database, but a path must never climb out of the exports folder.
    if (!/^[A-Za-z0-9_-]+$/.test(id)) continue;
    await rm(path.join(root, id), { recursive: true, force: true });
  }
}
