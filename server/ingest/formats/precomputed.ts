/**
 * Neuroglancer precomputed volumes from a local folder or an http(s) URL. Reads the `info` file
 * (checked with zod), takes the full-resolution scale, and fetches ONLY the chunks that intersect
 * the requested region, so a public volume of terabytes can be imported by URL a region at a time.
 * Chunks: `raw` encoding (little-endian, x fastest, then y, z, channel), optionally gzip-compressed
 * (a `.gz` file, gzip bytes, or HTTP Content-Encoding, which fetch undoes). Unsharded only.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { IngestError, errorText } from "../errors";
import { ACCEPTED_GREY, ACCEPTED_LABELS, inMemoryVolume, regionShape, resolveRegion, toGrey8, toLabels32, type OpenedVolume, type Region, type VoxelSize } from "./volume";

const triple = <T extends z.ZodType>(t: T) => z.tuple([t, t, t]);
const scaleSchema = z.object({
  key: z.string().min(1),
  size: triple(z.int().positive()),
  resolution: triple(z.number().positive()),
  voxel_offset: triple(z.int()).default([0, 0, 0]),
  chunk_sizes: z.array(triple(z.int().positive())).min(1),
  encoding: z.string(),
  sharding: z.unknown().optional(),
});
export const precomputedInfoSchema = z.object({
  type: z.enum(["image", "segmentation"]),
  data_type: z.string(),
  num_channels: z.int().positive(),
  scales: z.array(scaleSchema).min(1),
});
export type PrecomputedInfo = z.infer<typeof precomputedInfoSchema>;

const BYTES: Record<string, number> = { uint8: 1, uint16: 2, uint32: 4, uint64: 8, float32: 4, int8: 1, int16: 2, int32: 4, int64: 8 };
const FETCH_CONCURRENCY = 8;

export type PrecomputedSourceOptions = {
  /** Allow http(s) URLs whose host is loopback or a private network (CLI and admins; tests). */
  allowPrivateHosts?: boolean;
  /** Called with each chunk path fetched (for tests and logs). */
  onFetch?: (chunk: string) => void;
};

/** Fetches `rel` under a folder or URL; null when it does not exist. */
type Fetcher = { where: string; get(rel: string): Promise<Uint8Array | null> };

export function isPrivateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1" || h === "0.0.0.0" || h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe80")) return true;
  const m = h.match(/^(\d+)\.(\d+)\.\d+\.\d+$/);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function fetcherFor(source: string, opts: PrecomputedSourceOptions): Fetcher {
  if (isUrl(source)) {
    let base: URL;
    try {
      base = new URL(source.endsWith("/") ? source : `${source}/`);
    } catch (e) {
      throw new IngestError(`not a valid URL: ${source}`, source, { cause: e });
    }
    if (!opts.allowPrivateHosts && isPrivateHost(base.hostname)) {
      throw new IngestError(`${source}: loopback and private-network hosts are not allowed`, source);
    }
    return {
      where: base.href,
      async get(rel) {
        const url = new URL(rel, base);
        let res: Response;
        try {
          res = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(60_000) });
        } catch (e) {
          throw new IngestError(`${url.href}: request failed (${errorText(e)})`, url.href, { cause: e });
        }
        if (res.status === 404 || res.status === 403) return null;
        if (!res.ok) throw new IngestError(`${url.href}: HTTP ${res.status}`, url.href);
        return new Uint8Array(await res.arrayBuffer());
      },
    };
  }
  const dir = path.resolve(source.replace(/^file:\/\//, ""));
  return {
    where: dir,
    async get(rel) {
      for (const p of [rel, `${rel}.gz`]) {
        try {
          return new Uint8Array(await readFile(path.join(dir, p)));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== "ENOENT" && code !== "ENOTDIR") throw new IngestError(`${path.join(dir, p)}: ${errorText(e)}`, path.join(dir, p), { cause: e });
        }
      }
      return null;
    },
  };
}

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

async function readInfo(f: Fetcher): Promise<PrecomputedInfo> {
  const bytes = await f.get("info");
  if (!bytes) throw new IngestError(`${f.where}: no "info" file (is this a Neuroglancer precomputed volume?)`, f.where);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(isGzip(bytes) ? gunzipSync(bytes) : bytes));
  } catch (e) {
    throw new IngestError(`${f.where}/info: not valid JSON (${errorText(e)})`, f.where, { cause: e });
  }
  const r = precomputedInfoSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new IngestError(`${f.where}/info: ${i.path.join(".") || "info"}: ${i.message}`, f.where);
  }
  return r.data;
}

/** Reads the region out of scale 0 into a z,y,x typed array of the layer's data type. */
async function readLayer(f: Fetcher, info: PrecomputedInfo, regionIn: Region | undefined, role: "image" | "labels", opts: PrecomputedSourceOptions) {
  const s = info.scales[0]!;
  const where = f.where;
  if (s.sharding) throw new IngestError(`${where}: sharded precomputed volumes are not supported (unsharded only)`, where);
  if (s.encoding !== "raw") throw new IngestError(`${where}: chunk encoding "${s.encoding}" is not supported (accepted: raw, optionally gzip-compressed)`, where);
  if (info.num_channels !== 1) throw new IngestError(`${where}: ${info.num_channels} channels; accepted: one channel`, where);
  const okTypes = role === "image" ? ["uint8", "uint16"] : ["uint8", "uint16", "uint32", "uint64"];
  if (!okTypes.includes(info.data_type)) {
    throw new IngestError(`${where}: data type ${info.data_type} is not supported for ${role === "image" ? "the image" : "labels"} (accepted: ${role === "image" ? ACCEPTED_GREY : ACCEPTED_LABELS})`, where);
  }
  const off = { x: s.voxel_offset[0], y: s.voxel_offset[1], z: s.voxel_offset[2] };
  const r = resolveRegion(regionIn, { x: s.size[0], y: s.size[1], z: s.size[2] }, where, off);
  const shape = regionShape(r);
  const bpv = BYTES[info.data_type]!;
  const out = new Uint8Array(shape.x * shape.y * shape.z * bpv);
  const cs = s.chunk_sizes[0]!;
  // chunk index ranges intersecting the region (chunk i covers off + i*cs .. off + (i+1)*cs)
  const lo = [Math.floor((r.x0 - off.x) / cs[0]), Math.floor((r.y0 - off.y) / cs[1]), Math.floor((r.z0 - off.z) / cs[2])];
  const hi = [Math.ceil((r.x1 - off.x) / cs[0]), Math.ceil((r.y1 - off.y) / cs[1]), Math.ceil((r.z1 - off.z) / cs[2])];
  const jobs: [number, number, number][] = [];
  for (let k = lo[2]!; k < hi[2]!; k++) for (let j = lo[1]!; j < hi[1]!; j++) for (let i = lo[0]!; i < hi[0]!; i++) jobs.push([i, j, k]);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const [i, j, k] = jobs[next++]!;
      const c0 = [off.x + i * cs[0], off.y + j * cs[1], off.z + k * cs[2]] as const;
      const c1 = [Math.min(c0[0] + cs[0], off.x + s.size[0]), Math.min(c0[1] + cs[1], off.y + s.size[1]), Math.min(c0[2] + cs[2], off.z + s.size[2])] as const;
      const name = `${s.key}/${c0[0]}-${c1[0]}_${c0[1]}-${c1[1]}_${c0[2]}-${c1[2]}`;
      opts.onFetch?.(name);
      let bytes = await f.get(name);
      if (!bytes) throw new IngestError(`${where}: chunk ${name} is missing`, where);
      if (isGzip(bytes)) {
        try {
          bytes = new Uint8Array(gunzipSync(bytes));
        } catch (e) {
          throw new IngestError(`${where}: chunk ${name}: corrupt gzip data (${errorText(e)})`, where, { cause: e });
        }
      }
      const d = [c1[0] - c0[0], c1[1] - c0[1], c1[2] - c0[2]];
      if (bytes.length !== d[0]! * d[1]! * d[2]! * bpv) {
        throw new IngestError(`${where}: chunk ${name} has ${bytes.length} bytes, expected ${d[0]! * d[1]! * d[2]! * bpv} (${d.join("×")} ${info.data_type}): corrupt chunk`, where);
      }
      // copy the chunk's intersection with the region, one x run at a time (both are x-fastest)
      const x0 = Math.max(c0[0], r.x0);
      const x1 = Math.min(c1[0], r.x1);
      const run = (x1 - x0) * bpv;
      for (let z = Math.max(c0[2], r.z0); z < Math.min(c1[2], r.z1); z++) {
        for (let y = Math.max(c0[1], r.y0); y < Math.min(c1[1], r.y1); y++) {
          const src = (((z - c0[2]) * d[1]! + (y - c0[1])) * d[0]! + (x0 - c0[0])) * bpv;
          const dst = (((z - r.z0) * shape.y + (y - r.y0)) * shape.x + (x0 - r.x0)) * bpv;
          out.set(bytes.subarray(src, src + run), dst);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, jobs.length) }, worker));
  const typed =
    bpv === 1 ? out : bpv === 2 ? new Uint16Array(out.buffer) : bpv === 4 ? new Uint32Array(out.buffer) : new BigUint64Array(out.buffer);
  return { data: typed as ArrayLike<number> | ArrayLike<bigint>, region: r, resolution: s.resolution };
}

export async function readPrecomputed(
  source: string,
  opts: PrecomputedSourceOptions & { region?: Region; labels?: string; groundTruth?: string } = {},
): Promise<OpenedVolume> {
  const f = fetcherFor(source, opts);
  const info = await readInfo(f);
  if (info.type !== "image") throw new IngestError(`${f.where}: a ${info.type} layer; the image must be an "image" layer (give segmentations as labels)`, f.where);
  const img = await readLayer(f, info, opts.region, "image", opts);
  const voxelSize: VoxelSize = { x: img.resolution[0], y: img.resolution[1], z: img.resolution[2] };
  const label = async (src: string | undefined) => {
    if (!src) return undefined;
    const lf = fetcherFor(src, opts);
    const li = await readInfo(lf);
    const ls = li.scales[0]!;
    const is = info.scales[0]!;
    if (ls.size.join() !== is.size.join() || ls.voxel_offset.join() !== is.voxel_offset.join()) {
      throw new IngestError(`${lf.where}: labels cover ${ls.size.join("×")} at offset ${ls.voxel_offset.join(",")}, the image ${is.size.join("×")} at ${is.voxel_offset.join(",")}`, lf.where);
    }
    const l = await readLayer(lf, li, img.region, "labels", opts);
    return toLabels32(l.data, li.data_type, lf.where);
  };
  return {
    format: "precomputed",
    volume: inMemoryVolume(f.where, toGrey8(img.data, info.data_type, f.where), regionShape(img.region)),
    voxelSize,
    supervoxels: await label(opts.labels),
    groundTruth: await label(opts.groundTruth),
  };
}
