/// <reference lib="webworker" />
// Off the main thread: downloads a neuron's consensus mask (/api/v1/neurons/<id>/mask; the browser inflates
// its gzip encoding), smooths it and runs marching cubes (core/marching-cubes.ts). Answers the mesh in
// dataset voxel coordinates, transferring its buffers (no copy).
import { marchingCubes, smoothMask } from "@/core/marching-cubes";
import { fetchWhenReady } from "./fetch-when-ready";

export type MeshRequest = { neuronId: string };
export type MeshReply =
  | { ok: true; positions: Float32Array; indices: Uint32Array; voxelSize: [number, number, number]; region: number[]; maskVoxels: number; ms: number }
  | { ok: false; status: number; error: string };

const nums = (h: string | null) => (h ?? "").split(",").map(Number);

self.onmessage = async (e: MessageEvent<MeshRequest>) => {
  const t0 = performance.now();
  try {
    const res = await fetchWhenReady(`/api/v1/neurons/${encodeURIComponent(e.data.neuronId)}/mask`);
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      (self as unknown as Worker).postMessage({ ok: false, status: res.status, error: body.error ?? `HTTP ${res.status}` } satisfies MeshReply);
      return;
    }
    const [sx, sy, sz] = nums(res.headers.get("x-axonaut-shape")) as [number, number, number];
    const region = nums(res.headers.get("x-axonaut-region"));
    const step = Number(res.headers.get("x-axonaut-step") ?? 1);
    const vs = nums(res.headers.get("x-axonaut-voxel-size")) as [number, number, number];
    let buf = await res.arrayBuffer();
    // Served with Content-Encoding: gzip; where a proxy or the server dropped that header the body is still
    // gzip (magic 1f 8b), so inflate it here (as game/volume-loader.ts does for label chunks).
    const head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
    if (buf.byteLength !== sx * sy * sz && head[0] === 0x1f && head[1] === 0x8b) {
      buf = await new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    }
    const mask = new Uint8Array(buf);
    if (mask.length !== sx * sy * sz) throw new Error(`mask has ${mask.length} voxels, expected ${sx * sy * sz}`);
    let maskVoxels = 0;
    for (let i = 0; i < mask.length; i++) maskVoxels += mask[i]!;
    const shape = { x: sx, y: sy, z: sz };
    const mesh = marchingCubes(smoothMask(mask, shape), shape, 0.5);
    // Pooled mask voxels → dataset voxels.
    const p = mesh.positions;
    const off = (step - 1) / 2;
    for (let i = 0; i < p.length; i += 3) {
      p[i] = region[0]! + p[i]! * step + off;
      p[i + 1] = region[1]! + p[i + 1]! * step + off;
      p[i + 2] = region[2]! + p[i + 2]! * step + off;
    }
    const reply: MeshReply = { ok: true, positions: p, indices: mesh.indices, voxelSize: vs, region, maskVoxels, ms: performance.now() - t0 };
    (self as unknown as Worker).postMessage(reply, [p.buffer, mesh.indices.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ ok: false, status: 0, error: err instanceof Error ? err.message : String(err) } satisfies MeshReply);
  }
};
