// Reads the data store that ingest writes (layout in docs/contracts.md). Server-side only.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { assembleBox } from "@/core/label-volume";
import { chunksForBox, chunkKey, type Box } from "@/core/volume";
import { manifestSchema, type Manifest } from "@/server/ingest/manifest";

export type LabelKind = "supervoxels" | "ground-truth";

export function storeRoot(env: Record<string, string | undefined> = process.env): string {
  // Configured at run time, not a project path: keep the bundler from tracing it.
  return path.resolve(/*turbopackIgnore: true*/ env.AXONAUT_STORE ?? path.join(env.AXONAUT_DATA_DIR ?? ".data", "store"));
}

const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function datasetDir(slug: string): string {
  if (!slugPattern.test(slug)) throw new Error(`invalid dataset slug "${slug}"`);
  return path.join(storeRoot(), slug);
}

export async function readManifest(slug: string): Promise<Manifest> {
  return manifestSchema.parse(JSON.parse(await readFile(path.join(datasetDir(slug), "manifest.json"), "utf8")));
}

export function tilePath(slug: string, level: number, z: number, ty: number, tx: number): string {
  return path.join(datasetDir(slug), "tiles", String(level), String(z), `${ty}_${tx}.png`);
}

export function labelChunkPath(slug: string, kind: LabelKind, cx: number, cy: number, cz: number): string {
  return path.join(datasetDir(slug), "labels", kind, `${chunkKey(cx, cy, cz)}.u32.gz`);
}

export async function fileExists(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

/** The labels inside `box` as one zyx array, read chunk by chunk. */
export async function loadLabelBox(slug: string, kind: LabelKind, box: Box, manifest?: Manifest): Promise<Uint32Array> {
  const m = manifest ?? (await readManifest(slug));
  const chunks = new Map<string, Uint32Array>();
  await Promise.all(
    chunksForBox(box, m.chunkSize).map(async ({ cx, cy, cz }) => {
      const raw = gunzipSync(await readFile(labelChunkPath(slug, kind, cx, cy, cz)));
      chunks.set(chunkKey(cx, cy, cz), new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4));
    }),
  );
  return assembleBox(box, chunks, m.chunkSize, m.shape);
}
