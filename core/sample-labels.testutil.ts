// TEST ONLY (uses node:fs/zlib): loads the bundled NeuroProof label volumes. Never import from app code.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { sampleDir } from "@/test-support/shared-data";
import type { Vec3 } from "./volume";

export const SAMPLE_SHAPE: Vec3 = { x: 250, y: 250, z: 250 };

/** gunzip → Uint32Array (little-endian, z*62500 + y*250 + x). */
export function loadSampleLabels(name: "ground-truth" | "supervoxels"): Uint32Array {
  const buf = gunzipSync(readFileSync(path.join(sampleDir, "labels", `${name}.u32.raw.gz`)));
  // Copy when the Buffer isn't 4-byte aligned (pooled Buffers can start anywhere).
  const bytes = buf.byteOffset % 4 === 0 ? buf : Uint8Array.prototype.slice.call(buf);
  const labels = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const n = SAMPLE_SHAPE.x * SAMPLE_SHAPE.y * SAMPLE_SHAPE.z;
  if (labels.length !== n) throw new Error(`${name}: ${labels.length} labels, expected ${n}`);
  return labels;
}

/** The id covering the most voxels (ignoring 0). */
export function largestLabel(labels: Uint32Array): { id: number; size: number } {
  const counts = new Map<number, number>();
  let prev = 0;
  let run = 0;
  const flush = () => {
    if (prev !== 0) counts.set(prev, (counts.get(prev) ?? 0) + run);
  };
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v === prev) run++;
    else {
      flush();
      prev = v;
      run = 1;
    }
  }
  flush();
  let id = 0;
  let size = 0;
  for (const [k, c] of counts) if (c > size) [id, size] = [k, c];
  return { id, size };
}
