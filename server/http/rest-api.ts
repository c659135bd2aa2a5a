// The public REST API (/api/v1/…): what the route files under app/api/v1 call. Every handler takes the db and
// a Request, validates path and query parameters with zod, and answers JSON errors `{ error, field? }`.
// Access (see docs/contracts.md "REST API"): datasets and the reconstructions of published campaigns (and of
// neurons in no campaign) are public; neurons of a draft campaign and every campaign statistic need its owner
// (or an admin), by session or `Authorization: Bearer <API token>`.
import { z } from "zod";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { EXPORT_FORMATS, safeName, VIEW_MASK, VIEW_SKELETON } from "@/server/export/export-neuron";
import type { Actor } from "@/server/services/actor";
import { campaignStats, statsCsv } from "@/server/services/campaign-stats";
import { DomainError, httpStatus } from "@/server/services/errors";
import { getNeuron } from "@/server/services/neurons";
import { apiCaller } from "./api-auth";
import { exportJobStatus, readExport, readExportFile } from "./export-responses";

export type Handler = (db: Db, req: Request, params: Record<string, string | string[]>) => Promise<Response>;

class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string) {
    super(message);
  }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });

/** Runs a handler, turning validation, domain and unexpected errors into JSON answers. */
export async function handle(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError) return json({ error: err.message, ...(err.field ? { field: err.field } : {}) }, err.status);
    if (err instanceof DomainError) return json({ error: err.message }, httpStatus[err.code]);
    console.error(err);
    return json({ error: "internal error" }, 500);
  }
}

/** Parses `value` with `schema`, or a 400 (404 for path ids) naming the parameter. */
function param<T>(schema: z.ZodType<T>, value: unknown, field: string, status = 400): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(status, `${field}: ${r.error.issues[0]?.message ?? "invalid"}`, field);
  return r.data;
}
const uuid = z.string().uuid("must be a UUID");
const pathId = (params: Record<string, string | string[]>, what: string) => param(uuid, params.id, `${what} id`, 404);

/** Rejects query parameters the endpoint does not know, so a typo is not silently ignored. */
function query<S extends z.ZodRawShape>(req: Request, shape: S) {
  const url = new URL(req.url);
  const raw: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (!(k in shape)) throw new ApiError(400, `unknown query parameter "${k}"; allowed: ${Object.keys(shape).join(", ") || "none"}`, k);
    raw[k] = v;
  }
  const r = z.object(shape).safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = String(issue.path[0] ?? "query");
    throw new ApiError(400, `${field}: ${issue.message}`, field);
  }
  return r.data;
}

const isResearcher = (a: Actor | null) => a !== null && (a.role === "RESEARCHER" || a.role === "ADMIN");

/** Neurons the caller may read: not practice; in no campaign, a published one, or (researchers) their own. */
function visibleNeurons(actor: Actor | null): Prisma.NeuronWhereInput {
  const open: Prisma.NeuronWhereInput[] = [{ campaignId: null }, { campaign: { status: "PUBLISHED" } }];
  if (actor?.role === "ADMIN") open.push({ campaignId: { not: null } });
  else if (isResearcher(actor)) open.push({ campaign: { ownerId: actor!.userId } });
  return { isPractice: false, OR: open };
}

/** The neuron if the caller may read it (else 404), whether anyone may (`public`), and the caller. */
async function visibleNeuron(db: Db, req: Request, id: string) {
  const { actor } = await apiCaller(db, req);
  const n = await db.neuron.findFirst({ where: { id, ...visibleNeurons(actor) }, select: { id: true, campaignId: true, campaign: { select: { status: true } } } });
  if (!n) throw new ApiError(404, "neuron not found");
  return { id: n.id, campaignId: n.campaignId, public: n.campaign === null || n.campaign.status === "PUBLISHED", actor };
}
export type VisibleNeuron = Awaited<ReturnType<typeof visibleNeuron>>;

// ---- datasets ----

const datasetSelect = {
  id: true, slug: true, name: true, width: true, height: true, depth: true, voxelSizeX: true, voxelSizeY: true, voxelSizeZ: true,
  tileSize: true, levels: true, chunkSize: true, supervoxelCount: true, cubeSize: true, cubeOverlap: true, license: true, attribution: true, createdAt: true,
} as const;
type DatasetRow = Prisma.DatasetGetPayload<{ select: typeof datasetSelect }>;

function datasetJson(d: DatasetRow) {
  return {
    id: d.id, slug: d.slug, name: d.name,
    shape: { x: d.width, y: d.height, z: d.depth },
    voxelSize: { x: d.voxelSizeX, y: d.voxelSizeY, z: d.voxelSizeZ, unit: "nm" },
    tileSize: d.tileSize, levels: d.levels, chunkSize: d.chunkSize, supervoxelCount: d.supervoxelCount,
    cube: { size: d.cubeSize, overlap: d.cubeOverlap },
    license: d.license, attribution: d.attribution, createdAt: d.createdAt.toISOString(),
    links: { tiles: `/api/v1/datasets/${d.id}/tiles/{level}/{z}/{ty}_{tx}.png`, labels: `/api/v1/datasets/${d.id}/labels/{cx}_{cy}_{cz}`, neurons: `/api/v1/neurons?dataset=${d.id}` },
  };
}

export const listDatasets: Handler = (db, req) =>
  handle(async () => {
    query(req, {});
    const rows = await db.dataset.findMany({ where: { status: "READY" }, orderBy: { createdAt: "asc" }, select: datasetSelect });
    return json({ datasets: rows.map(datasetJson) });
  });

export const getDataset: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "dataset");
    query(req, {});
    const d = await db.dataset.findFirst({ where: { id, status: "READY" }, select: datasetSelect });
    if (!d) throw new ApiError(404, "dataset not found");
    return json(datasetJson(d));
  });

// ---- neurons ----

export const listNeuronsApi: Handler = (db, req) =>
  handle(async () => {
    const q = query(req, {
      dataset: uuid.optional(),
      campaign: uuid.optional(),
      status: z.enum(["ACTIVE", "COMPLETE"]).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    });
    const { actor } = await apiCaller(db, req);
    const where: Prisma.NeuronWhereInput = {
      AND: [visibleNeurons(actor), q.dataset ? { datasetId: q.dataset } : {}, q.campaign ? { campaignId: q.campaign } : {}, q.status ? { status: q.status } : {}],
    };
    const [total, rows] = await Promise.all([
      db.neuron.count({ where }),
      db.neuron.findMany({
        where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: q.limit, skip: q.offset,
        select: { id: true, name: true, color: true, status: true, datasetId: true, campaignId: true, seedX: true, seedY: true, seedZ: true, completedAt: true, tasks: { select: { status: true } } },
      }),
    ]);
    return json({
      total, limit: q.limit, offset: q.offset,
      neurons: rows.map((n) => ({
        id: n.id, name: n.name, color: n.color, status: n.status, datasetId: n.datasetId, campaignId: n.campaignId,
        seed: { x: n.seedX, y: n.seedY, z: n.seedZ },
        cubes: n.tasks.length, cubesDone: n.tasks.filter((t) => t.status === "RETIRED").length,
        completedAt: n.completedAt?.toISOString() ?? null,
        links: { self: `/api/v1/neurons/${n.id}`, export: `/api/v1/neurons/${n.id}/export?format=swc` },
      })),
    });
  });

export const getNeuronApi: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "neuron");
    query(req, {});
    const v = await visibleNeuron(db, req, id);
    const n = await getNeuron(db, id);
    return json({
      id: n.id, name: n.name, color: n.color, status: n.status, campaignId: v.campaignId, seed: n.seed,
      dataset: { id: n.dataset.id, name: n.dataset.name, license: n.dataset.license, attribution: n.dataset.attribution, voxelSize: { x: n.dataset.voxelSizeX, y: n.dataset.voxelSizeY, z: n.dataset.voxelSizeZ, unit: "nm" } },
      consensusMethod: n.consensusMethod,
      completedAt: n.completedAt?.toISOString() ?? null,
      cubes: n.tasks.map((t) => ({ id: t.id, box: t.box, status: t.status, players: t.submissions, playersWanted: t.redundancy, consensusSupervoxels: t.consensusSupervoxels, confidence: t.confidence, parentCubeId: t.parentTaskId, overridden: t.overridden })),
      links: Object.fromEntries([...EXPORT_FORMATS.map((f) => [f, `/api/v1/neurons/${n.id}/export?format=${f}`]), ["precomputed_source", `/api/v1/neurons/${n.id}/precomputed`], ["mask", `/api/v1/neurons/${n.id}/mask`], ["skeleton", `/api/v1/neurons/${n.id}/skeleton`]]),
    });
  });

// ---- exports: made by jobs, read from the store (see export-responses.ts)

/**
 * A download (`?format=`): 200 with the stored file when the current version exists, else 202 with the
 * job that makes it. With `&version=` (the job's download link) the URL names one immutable version.
 */
export const exportNeuronApi: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "neuron");
    const q = query(req, {
      format: z.enum(EXPORT_FORMATS, { message: `must be one of ${EXPORT_FORMATS.join(", ")}` }),
      version: z.string().regex(/^[0-9a-f]{32}$/, "must be 32 hex digits (an export version)").optional(),
    });
    return readExport(db, req, await visibleNeuron(db, req, id), q.format, q.version);
  });

/** The neuron's SWC (`/api/v1/neurons/{id}/skeleton.swc`): a plain link, so it waits for the job. */
export const skeletonSwcApi: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "neuron");
    query(req, {});
    return readExportFile(db, req, await visibleNeuron(db, req, id), "swc", null);
  });

/** One file of the precomputed export, so Neuroglancer can read `precomputed://<origin>/api/v1/neurons/<id>/precomputed`. */
export const precomputedFile: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "neuron");
    const parts = Array.isArray(params.path) ? params.path : [params.path ?? ""];
    const path = param(z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "must be a relative file path").max(200), parts.join("/"), "path", 404);
    return readExportFile(db, req, await visibleNeuron(db, req, id), "precomputed", path);
  });

/** The consensus voxels as a raw uint8 mask (z,y,x C order), gzip-encoded; geometry in headers. */
export const neuronMask: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "neuron");
    query(req, {});
    return readExportFile(db, req, await visibleNeuron(db, req, id), "view3d", VIEW_MASK);
  });

/** The consensus skeleton as JSON nodes in dataset voxels (parents before children), for the 3D view and scripts. */
export const neuronSkeletonJson: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "neuron");
    query(req, {});
    return readExportFile(db, req, await visibleNeuron(db, req, id), "view3d", VIEW_SKELETON);
  });

/** An export job's progress (`/api/v1/jobs/{id}`): for whoever may read its neuron. */
export const jobStatusApi: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "job");
    query(req, {});
    return exportJobStatus(db, req, id, (neuronId) => visibleNeuron(db, req, neuronId));
  });

// ---- campaigns (researchers only) ----

async function researcher(db: Db, req: Request): Promise<Actor> {
  const { actor } = await apiCaller(db, req);
  if (!actor) throw new ApiError(401, "sign in as a researcher or send 'Authorization: Bearer <API token>'");
  if (!isResearcher(actor)) throw new ApiError(403, "only researcher and admin accounts may read campaign statistics");
  return actor;
}

export const campaignStatsJson: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "campaign");
    query(req, {});
    return json(await campaignStats(db, await researcher(db, req), id));
  });

export const campaignStatsCsv: Handler = (db, req, params) =>
  handle(async () => {
    const id = pathId(params, "campaign");
    const q = query(req, { table: z.enum(["summary", "cubes", "players"], { message: "must be summary, cubes or players" }).default("cubes") });
    const s = await campaignStats(db, await researcher(db, req), id);
    return new Response(statsCsv(s, q.table), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="campaign-${safeName(s.name)}-${q.table}.csv"`, "Cache-Control": "no-store" },
    });
  });

/** A Next route handler for `h` over the server's database. */
export function nextRoute(h: Handler) {
  return async (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => {
    const { getDatabase } = await import("@/server/db/client");
    const { db } = await getDatabase();
    return h(db, req, ctx?.params ? await ctx.params : {});
  };
}
