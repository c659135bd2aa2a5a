// Label boxes for the crowd engine (task contents, spawning, practice grading, the simulation), read through a
// bounded LRU of decoded chunks: neighbouring cubes share chunks, and a campaign reads them again and again.
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { assembleBox } from "@/core/label-volume";
import { chunkKey, chunksForBox, type Box } from "@/core/volume";
import type { Manifest } from "@/server/ingest/manifest";
import { labelChunkPath, readManifest, type LabelKind } from "./store";

const MAX_BYTES = Number(process.env.AXONAUT_LABEL_CACHE_MB ?? 192) * 1024 * 1024;
const chunks = new Map<string, Promise<Uint32Array>>();
const manifests = new Map<string, Promise<Manifest>>();
let bytes = 0;

function chunk(slug: string, kind: LabelKind, cx: number, cy: number, cz: number): Promise<Uint32Array> {
  const key = `${slug}/${kind}/${chunkKey(cx, cy, cz)}`;
  const hit = chunks.get(key);
  if (hit) {
    // Re-insert: Map order is the LRU order.
    chunks.delete(key);
    chunks.set(key, hit);
    return hit;
  }
  const load = readFile(labelChunkPath(slug, kind, cx, cy, cz)).then((gz) => {
    const raw = gunzipSync(gz);
    const data = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    bytes += data.byteLength;
    while (bytes > MAX_BYTES && chunks.size > 1) {
      const oldest = chunks.keys().next().value as string;
      const evicted = chunks.get(oldest);
      chunks.delete(oldest);
      void evicted?.then((d) => (bytes -= d.byteLength), () => {});
    }
    return data;
  });
  load.catch(() => chunks.delete(key));
  chunks.set(key, load);
  return load;
}

/** The manifest of a dataset, read once per process (datasets are immutable once ingested). */
export function cachedManifest(slug: string): Promise<Manifest> {
  let m = manifests.get(slug);
  if (!m) {
    m = readManifest(slug);
    m.catch(() => manifests.delete(slug));
    manifests.set(slug, m);
  }
  return m;
}

/** Like store.loadLabelBox, through the chunk cache. The returned array is the caller's own. */
export async function loadLabels(slug: string, kind: LabelKind, box: Box): Promise<Uint32Array> {
  const m = await cachedManifest(slug);
  const parts = await Promise.all(chunksForBox(box, m.chunkSize).map(async ({ cx, cy, cz }) => [chunkKey(cx, cy, cz), await chunk(slug, kind, cx, cy, cz)] as const));
  return assembleBox(box, new Map(parts), m.chunkSize, m.shape);
}
