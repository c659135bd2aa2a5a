// Every export of one neuron's consensus reconstruction, as files (paths relative to an output
// folder): the CLI writes them to disk, the REST endpoints send them. Every format repeats the
// dataset's license and attribution; no export carries usernames or other personal data (players
// appear only as a pseudonym: a hash of their id salted with the dataset id).
//
//   swc          <name>.swc                        SWC, µm
//   nml          <name>.nml                        webKnossos NML (voxels, scale in nm)
//   precomputed  info, <scale>/<x0-x1_y0-y1_z0-z1>  neuroglancer segmentation volume (uint32, raw);
//                skeletons/info, skeletons/1        its skeleton source (segment id 1 = the neuron)
//                segment_properties/info, provenance, LICENSE.txt
//   csv          traces.csv, consensus.csv         one row per trace / per retired cube
//
// Besides these public formats, `viewFiles` makes what the neuron page's 3D view reads (the consensus mask
// and the skeleton as JSON): the export job stores both kinds the same way (server/services/exports.ts).
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { Db } from "@/server/db/client";
import { toCsv } from "@/core/csv";
import { toNml } from "@/core/nml";
import { encodeSegmentationVolume, encodeSkeleton, segmentPropertiesInfo, skeletonInfo } from "@/core/precomputed";
import { skeletonize, type Skeleton } from "@/core/skeleton";
import { toSwc } from "@/core/swc";
import { badInput } from "@/server/services/errors";
import { loadReconstruction, type Reconstruction } from "./reconstruction";

export const EXPORT_FORMATS = ["swc", "nml", "precomputed", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type ExportFile = {
  /** Relative, "/"-separated, e.g. "skeletons/info". */
  path: string;
  contentType: string;
  data: Uint8Array | string;
  /** Response headers that go with the file (the mask's geometry and its gzip encoding). */
  headers?: Record<string, string>;
};

/** The segment id the neuron gets in the precomputed volume and skeleton source. */
export const SEGMENT_ID = 1;

/** A stable, non-reversible stand-in for a player id within one dataset. */
export function playerPseudonym(datasetId: string, userId: string): string {
  return createHash("sha256").update(`axonaut-player\0${datasetId}\0${userId}`).digest("hex").slice(0, 16);
}

export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60) || "neuron";
}

/** License, attribution and what the file is, repeated in every export. */
function provenance(r: Reconstruction, now: string): string[] {
  const { neuron } = r;
  const ds = neuron.dataset;
  const vs = r.voxelSize;
  return [
    `Axonaut consensus reconstruction of neuron "${neuron.name}" (${neuron.id})`,
    `dataset: ${ds.name} (${ds.slug}), voxel size ${vs.x}x${vs.y}x${vs.z} nm`,
    `region: x ${r.region.x0}-${r.region.x1}, y ${r.region.y0}-${r.region.y1}, z ${r.region.z0}-${r.region.z1} (voxels, end exclusive); cubes with consensus: ${r.cubes.length}`,
    `data license: ${ds.license}`,
    `attribution: ${ds.attribution}`,
    `exported: ${now}`,
  ];
}

function skeletonOf(r: Reconstruction): Skeleton {
  return skeletonize(r.mask, r.shape, { voxelSize: r.voxelSize, ...(r.root ? { root: r.root } : {}) });
}

const offsetOf = (r: Reconstruction) => ({ x: r.region.x0, y: r.region.y0, z: r.region.z0 });

function swcFiles(r: Reconstruction, now: string): ExportFile[] {
  const header = [...provenance(r, now), "coordinates and radii in micrometres; type 0 (undefined): the root is an end of the traced piece, not a soma"];
  const swc = toSwc(skeletonOf(r), { voxelSize: r.voxelSize, offset: offsetOf(r), header });
  return [{ path: `${safeName(r.neuron.name)}.swc`, contentType: "text/plain; charset=utf-8", data: swc }];
}

function nmlFiles(r: Reconstruction, now: string): ExportFile[] {
  const nml = toNml(skeletonOf(r), {
    experiment: r.neuron.dataset.slug,
    voxelSize: r.voxelSize,
    offset: offsetOf(r),
    name: r.neuron.name,
    color: r.neuron.color,
    notes: provenance(r, now),
    timeMs: Date.parse(now),
  });
  return [{ path: `${safeName(r.neuron.name)}.nml`, contentType: "application/xml; charset=utf-8", data: nml }];
}

function precomputedFiles(r: Reconstruction, now: string): ExportFile[] {
  const json = (path: string, v: unknown): ExportFile => ({ path, contentType: "application/json", data: JSON.stringify(v, null, 1) });
  const labels = new Uint32Array(r.mask.length);
  for (let i = 0; i < r.mask.length; i++) labels[i] = r.mask[i]! * SEGMENT_ID;
  const volume = encodeSegmentationVolume(labels, r.shape, {
    voxelSize: r.voxelSize,
    offset: offsetOf(r),
    skeletons: "skeletons",
    segmentProperties: "segment_properties",
  });
  const lines = provenance(r, now);
  return [
    json("info", volume.info),
    ...volume.chunks.map((c) => ({ path: c.path, contentType: "application/octet-stream", data: c.data })),
    json("skeletons/info", skeletonInfo(r.voxelSize, "../segment_properties")),
    { path: `skeletons/${SEGMENT_ID}`, contentType: "application/octet-stream", data: encodeSkeleton(skeletonOf(r), r.voxelSize, offsetOf(r)) },
    json("segment_properties/info", segmentPropertiesInfo([{ id: SEGMENT_ID, label: r.neuron.name }])),
    // neuroglancer / cloud-volume read a `provenance` JSON beside `info`.
    json("provenance", {
      description: lines[0],
      owners: [r.neuron.dataset.attribution],
      sources: [`${r.neuron.dataset.name} (${r.neuron.dataset.slug})`],
      license: r.neuron.dataset.license,
      attribution: r.neuron.dataset.attribution,
      processing: [{ method: "Axonaut crowd consensus (Dawid-Skene over players' supervoxel traces), TEASAR skeleton", date: now }],
    }),
    { path: "LICENSE.txt", contentType: "text/plain; charset=utf-8", data: `${lines.join("\n")}\n` },
  ];
}

async function csvFiles(db: Db, r: Reconstruction, now: string): Promise<ExportFile[]> {
  const ds = r.neuron.dataset;
  const comments = provenance(r, now);
  const traces = await db.trace.findMany({
    where: { task: { neuronId: r.neuron.id } },
    select: { id: true, taskId: true, userId: true, supervoxels: true, points: true, f1: true, createdAt: true, task: { select: { x0: true, y0: true, z0: true, x1: true, y1: true, z1: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const traceCsv = toCsv(
    ["trace_id", "task_id", "player", "submitted_at", "x0", "y0", "z0", "x1", "y1", "z1", "supervoxel_count", "supervoxels", "points", "f1"],
    traces.map((t) => [
      t.id, t.taskId, playerPseudonym(ds.id, t.userId), t.createdAt.toISOString(),
      t.task.x0, t.task.y0, t.task.z0, t.task.x1, t.task.y1, t.task.z1,
      t.supervoxels.length, t.supervoxels.join(" "), t.points, t.f1,
    ]),
    [...comments, "player: pseudonym (hash of the player id within this dataset), never a name; supervoxels: space-separated ids of the dataset's segmentation"],
  );
  const consensusCsv = toCsv(
    ["task_id", "x0", "y0", "z0", "x1", "y1", "z1", "submissions", "supervoxel_count", "voxels", "confidence", "retired_at", "supervoxels"],
    r.neuron.tasks.map((t) => {
      // Voxels of the consensus inside the cube, from the per-cube supervoxel sizes stored with the task.
      const size = new Map(t.supervoxelIds.map((id, i) => [id, t.supervoxelSizes[i] ?? 0]));
      const voxels = t.consensus.reduce((a, id) => a + (size.get(id) ?? 0), 0);
      return [t.id, t.x0, t.y0, t.z0, t.x1, t.y1, t.z1, t.submissions, t.consensus.length, voxels, t.confidence, t.retiredAt?.toISOString() ?? "", t.consensus.join(" ")];
    }),
    [...comments, "one row per retired cube; voxels: consensus voxels inside the cube; confidence: posterior confidence of the consensus"],
  );
  return [
    { path: "traces.csv", contentType: "text/csv; charset=utf-8", data: traceCsv },
    { path: "consensus.csv", contentType: "text/csv; charset=utf-8", data: consensusCsv },
  ];
}

/** The files of one export of an already loaded reconstruction (the export job reports progress between the two steps). */
export async function exportFiles(db: Db, r: Reconstruction, format: ExportFormat): Promise<ExportFile[]> {
  const now = new Date().toISOString();
  switch (format) {
    case "swc":
      return swcFiles(r, now);
    case "nml":
      return nmlFiles(r, now);
    case "precomputed":
      return precomputedFiles(r, now);
    case "csv":
      return csvFiles(db, r, now);
  }
}

/**
 * The files of one export. Throws NOT_FOUND (unknown neuron), CONFLICT (no consensus yet) or
 * BAD_REQUEST (unknown format). Authorization is the caller's job (REST: API token; CLI: shell access).
 */
export async function exportNeuron(db: Db, neuronId: string, format: ExportFormat): Promise<ExportFile[]> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw badInput(`unknown export format "${String(format)}": use ${EXPORT_FORMATS.join(", ")}`);
  return exportFiles(db, await loadReconstruction(db, neuronId), format);
}

// ---- the 3D view's files

/** Voxels above which the mask is max-pooled by 2 per axis (repeatedly), to keep the 3D view's download small. */
export const MASK_MAX_VOXELS = 8_000_000;

/** Max-pools a mask by `step` per axis. */
export function poolMask(mask: Uint8Array, shape: { x: number; y: number; z: number }, step: number) {
  const out = { x: Math.ceil(shape.x / step), y: Math.ceil(shape.y / step), z: Math.ceil(shape.z / step) };
  const m = new Uint8Array(out.x * out.y * out.z);
  for (let z = 0; z < shape.z; z++) for (let y = 0; y < shape.y; y++) {
    let i = (z * shape.y + y) * shape.x;
    const o = (Math.floor(z / step) * out.y + Math.floor(y / step)) * out.x;
    for (let x = 0; x < shape.x; x++, i++) if (mask[i]) m[o + Math.floor(x / step)] = 1;
  }
  return { mask: m, shape: out };
}

export const VIEW_MASK = "mask.u8.gz";
export const VIEW_SKELETON = "skeleton.json";

/**
 * The 3D view's files: the consensus voxels as a raw uint8 mask (z,y,x C order, gzip, pooled when large,
 * geometry in headers) and the skeleton as JSON nodes in dataset voxels (parents before children).
 */
export function viewFiles(r: Reconstruction): ExportFile[] {
  let step = 1, mask = r.mask, shape = r.shape;
  while (shape.x * shape.y * shape.z > MASK_MAX_VOXELS) {
    step *= 2;
    ({ mask, shape } = poolMask(r.mask, r.shape, step));
  }
  const sk = skeletonOf(r);
  const skeleton = {
    neuronId: r.neuron.id,
    voxelSize: { ...r.voxelSize, unit: "nm" },
    region: r.region,
    nodes: sk.nodes.map((n, i) => ({ id: i, x: n.x + r.region.x0, y: n.y + r.region.y0, z: n.z + r.region.z0, radius: n.radius, parent: n.parent })),
  };
  return [
    {
      path: VIEW_MASK,
      contentType: "application/octet-stream",
      data: new Uint8Array(gzipSync(mask)),
      headers: {
        "Content-Encoding": "gzip",
        "X-Axonaut-Region": [r.region.x0, r.region.y0, r.region.z0, r.region.x1, r.region.y1, r.region.z1].join(","),
        "X-Axonaut-Shape": [shape.x, shape.y, shape.z].join(","),
        "X-Axonaut-Step": String(step),
        "X-Axonaut-Voxel-Size": [r.voxelSize.x, r.voxelSize.y, r.voxelSize.z].join(","),
      },
    },
    { path: VIEW_SKELETON, contentType: "application/json", data: JSON.stringify(skeleton) },
  ];
}
