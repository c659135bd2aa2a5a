// The REST API's handlers called with real Request objects on a real database (PGlite, or PostgreSQL when
// DATABASE_URL names one) and the ingested sample: JSON shapes, zod-checked parameters with errors naming
// them, visibility of draft campaigns, API tokens (valid, revoked, malformed), exports that parse, the mask
// and skeleton for the 3D view, campaign stats CSV, and the OpenAPI document against the route files.
// Exports are made by jobs (server/http/exports-api.test.ts runs them through the queue); here each job is
// run in place, once its request answered 202 (or 503 for the URLs that wait).
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSwc, validateSwc } from "@/core/swc";
import { SAMPLE } from "@/server/cli/setup";
import { poolMask } from "@/server/export/export-neuron";
import type { Actor } from "@/server/services/actor";
import { createApiToken, revokeApiToken } from "@/server/services/api-tokens";
import { addSeed, createCampaign } from "@/server/services/campaigns";
import { runExportJob } from "@/server/services/exports";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { readManifest } from "@/server/store/store";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { openApiDocument } from "./openapi";
import * as api from "./rest-api";

let t: TestDb;
let datasetId: string;
let neuronId: string;
let consensusVoxels: number;
let owner: Actor;
let ownerToken: string;
let otherToken: string;
let draft: { campaignId: string; neuronId: string };

const req = (url: string, token?: string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost/api/v1${url}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
const call = (h: api.Handler, url: string, params: Record<string, string | string[]> = {}, token?: string) => h(t.db, req(url, token), params);
const body = async (r: Response) => (await r.json()) as Record<string, unknown> & { error?: string; field?: string };

/** Calls an export URL; while it answers 202 (downloads) or 503 (direct readers), runs its job here and asks again. */
async function exported(h: api.Handler, url: string, params: Record<string, string | string[]>, token?: string): Promise<Response> {
  for (let i = 0; i < 3; i++) {
    const r = await call(h, url, params, token);
    if (r.status !== 202 && r.status !== 503) return r;
    const { links } = (await r.json()) as { links: { job: string } };
    await runExportJob(t.db, links.job.split("/").pop()!);
  }
  throw new Error(`${url}: still not ready`);
}

async function researcherUser(): Promise<Actor> {
  const u = await t.db.user.create({ data: { username: `researcher-${randomUUID().slice(0, 8)}`, role: "RESEARCHER" } });
  return { userId: u.id, username: u.username, role: u.role, isGuest: false };
}

const exportsDir = mkdtempSync(path.join(os.tmpdir(), "axonaut-rest-exports-"));
process.env.AXONAUT_EXPORTS = exportsDir;
process.env.AXONAUT_EXPORT_WAIT_S = "0";

beforeAll(async () => {
  t = await createTestDatabase();
  datasetId = (await registerDatasetIn(t.db, await readManifest(SAMPLE.slug))).datasetId;
  const [neuron] = await seedDemoCampaign(t.db, datasetId, { neurons: 1 });
  neuronId = neuron!.id;
  // A hand-made retired root cube whose consensus is one small supervoxel (a few hundred voxels), so the
  // exports' skeletonization stays quick; the sample's seed supervoxels can hold half the cube.
  const root = await t.db.task.findFirstOrThrow({ where: { neuronId } });
  const small = root.supervoxelIds.map((id, k) => ({ id, size: root.supervoxelSizes[k]! })).filter((s) => s.size >= 200).sort((a, b) => a.size - b.size)[0]!;
  const consensus = [small.id];
  consensusVoxels = consensus.reduce((s, id) => s + root.supervoxelSizes[root.supervoxelIds.indexOf(id)]!, 0);
  await t.db.task.update({ where: { id: root.id }, data: { status: "RETIRED", retiredAt: new Date(), consensus, confidence: 0.97, submissions: 3 } });

  owner = await researcherUser();
  ownerToken = (await createApiToken(t.db, owner, { name: "tests" })).token;
  otherToken = (await createApiToken(t.db, await researcherUser(), { name: "other" })).token;
  const c = await createCampaign(t.db, owner, { name: "Draft", datasetId, minPlayers: 3, maxPlayers: 6, retireConfidence: 0.9 });
  const n = await addSeed(t.db, owner, { campaignId: c.id, point: { x: 200, y: 200, z: 200 } }).catch(() => addSeed(t.db, owner, { campaignId: c.id, point: { x: 30, y: 30, z: 30 } }));
  draft = { campaignId: c.id, neuronId: n.id };
}, 300_000);
afterAll(async () => {
  await t?.drop();
  rmSync(exportsDir, { recursive: true, force: true });
});

describe("datasets", () => {
  it("lists and reads ready datasets with license and attribution; bad ids and unknown parameters are clear errors", async () => {
    const list = await call(api.listDatasets, "/datasets");
    expect(list.status).toBe(200);
    const { datasets } = (await list.json()) as { datasets: { id: string; license: string; shape: { x: number } }[] };
    expect(datasets.map((d) => d.id)).toEqual([datasetId]);
    expect(datasets[0]!.license).toMatch(/CC BY/);
    const one = await call(api.getDataset, `/datasets/${datasetId}`, { id: datasetId });
    expect((await body(one)).shape).toEqual({ x: 250, y: 250, z: 250 });
    const bad = await call(api.getDataset, "/datasets/nope", { id: "nope" });
    expect(bad.status).toBe(404);
    expect(await body(bad)).toMatchObject({ field: "dataset id" });
    expect((await call(api.getDataset, `/datasets/${randomUUID()}`, { id: randomUUID() })).status).toBe(404);
    const typo = await call(api.listDatasets, "/datasets?limt=3");
    expect(typo.status).toBe(400);
    expect(await body(typo)).toMatchObject({ field: "limt" });
  });
});

describe("neurons", () => {
  it("lists public neurons with filters; a draft campaign's neuron only for its owner (token)", async () => {
    const pub = (await (await call(api.listNeuronsApi, `/neurons?dataset=${datasetId}`)).json()) as { total: number; neurons: { id: string; cubesDone: number }[] };
    expect(pub.neurons.map((n) => n.id)).toEqual([neuronId]);
    expect(pub.neurons[0]!.cubesDone).toBe(1);
    const mine = (await (await call(api.listNeuronsApi, `/neurons?dataset=${datasetId}`, {}, ownerToken)).json()) as { neurons: { id: string }[] };
    expect(mine.neurons.map((n) => n.id).sort()).toEqual([neuronId, draft.neuronId].sort());
    const others = (await (await call(api.listNeuronsApi, "/neurons", {}, otherToken)).json()) as { neurons: { id: string }[] };
    expect(others.neurons.map((n) => n.id)).toEqual([neuronId]);
    expect((await call(api.getNeuronApi, `/neurons/${draft.neuronId}`, { id: draft.neuronId })).status).toBe(404);
    expect((await call(api.getNeuronApi, `/neurons/${draft.neuronId}`, { id: draft.neuronId }, ownerToken)).status).toBe(200);

    const bad = await call(api.listNeuronsApi, "/neurons?dataset=xyz");
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ field: "dataset" });
    expect(await body(await call(api.listNeuronsApi, "/neurons?limit=0"))).toMatchObject({ field: "limit" });
    const page = (await (await call(api.listNeuronsApi, "/neurons?limit=1&offset=1", {}, ownerToken)).json()) as { total: number; neurons: unknown[] };
    expect(page).toMatchObject({ total: 2 });
    expect(page.neurons).toHaveLength(1);

    const one = await body(await call(api.getNeuronApi, `/neurons/${neuronId}`, { id: neuronId }));
    expect(one).toMatchObject({ id: neuronId, dataset: { id: datasetId } });
    expect((one.cubes as { status: string }[])[0]!.status).toBe("RETIRED");
  });

  it("a revoked or malformed token is refused, never treated as anonymous", async () => {
    const tok = await createApiToken(t.db, owner, { name: "short-lived" });
    expect((await call(api.listNeuronsApi, "/neurons", {}, tok.token)).status).toBe(200);
    await revokeApiToken(t.db, owner, tok.id);
    const r = await call(api.listNeuronsApi, "/neurons", {}, tok.token);
    expect(r.status).toBe(401);
    expect((await body(r)).error).toMatch(/revoked/);
    const malformed = await api.listNeuronsApi(t.db, req("/neurons", undefined, { authorization: "Token abc" }), {});
    expect(malformed.status).toBe(401);
  });

  it("exports SWC and NML that parse, precomputed and CSV as .tar.gz, single precomputed files", async () => {
    const swc = await exported(api.exportNeuronApi, `/neurons/${neuronId}/export?format=swc`, { id: neuronId });
    expect(swc.status).toBe(200);
    const parsed = parseSwc(await swc.text());
    expect(parsed.nodes.length).toBeGreaterThan(0);
    expect(validateSwc(parsed)).toEqual([]);
    expect(parsed.header.join("\n")).toMatch(/license/i);

    const nml = await exported(api.exportNeuronApi, `/neurons/${neuronId}/export?format=nml`, { id: neuronId });
    expect(nml.headers.get("content-type")).toMatch(/xml/);
    expect(await nml.text()).toMatch(/<things>[\s\S]*<scale [\s\S]*<node /);

    const tar = await exported(api.exportNeuronApi, `/neurons/${neuronId}/export?format=precomputed`, { id: neuronId });
    expect(tar.headers.get("content-type")).toBe("application/gzip");
    const names = tarNames(gunzipSync(new Uint8Array(await tar.arrayBuffer())));
    expect(names.some((n) => n.endsWith("-precomputed/info"))).toBe(true);
    expect(names.some((n) => n.endsWith("/skeletons/info"))).toBe(true);
    const csv = tarNames(gunzipSync(new Uint8Array(await (await exported(api.exportNeuronApi, `/neurons/${neuronId}/export?format=csv`, { id: neuronId })).arrayBuffer())));
    expect(csv.map((n) => n.split("/").pop())).toEqual(["traces.csv", "consensus.csv"]);

    const info = await exported(api.precomputedFile, `/neurons/${neuronId}/precomputed/info`, { id: neuronId, path: ["info"] });
    expect(((await info.json()) as { type: string }).type).toBe("segmentation");
    const skInfo = await exported(api.precomputedFile, "", { id: neuronId, path: ["skeletons", "info"] });
    expect(((await skInfo.json()) as { "@type": string })["@type"]).toBe("neuroglancer_skeletons");
    expect((await call(api.precomputedFile, "", { id: neuronId, path: ["..", "etc"] })).status).toBe(404);
    expect((await exported(api.precomputedFile, "", { id: neuronId, path: ["nothing"] })).status).toBe(404);

    const bad = await call(api.exportNeuronApi, `/neurons/${neuronId}/export?format=obj`, { id: neuronId });
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ field: "format" });
    const none = await call(api.exportNeuronApi, `/neurons/${draft.neuronId}/export?format=swc`, { id: draft.neuronId }, ownerToken);
    expect(none.status).toBe(409);

    // The neuron page's SWC link: the same file, and a draft campaign's neuron stays hidden from others.
    const page = await exported(api.skeletonSwcApi, `/neurons/${neuronId}/skeleton.swc`, { id: neuronId });
    expect(page.headers.get("content-disposition")).toMatch(/\.swc"$/);
    expect(parseSwc(await page.text()).nodes).toHaveLength(parsed.nodes.length);
    expect((await call(api.skeletonSwcApi, "", { id: draft.neuronId })).status).toBe(404);
    expect((await call(api.skeletonSwcApi, "", { id: draft.neuronId }, ownerToken)).status).toBe(409);
  });

  it("serves the consensus mask (exactly the consensus voxels) and the skeleton as JSON", async () => {
    const r = await exported(api.neuronMask, `/neurons/${neuronId}/mask`, { id: neuronId });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-encoding")).toBe("gzip");
    const mask = gunzipSync(new Uint8Array(await r.arrayBuffer()));
    const [sx, sy, sz] = r.headers.get("x-axonaut-shape")!.split(",").map(Number) as [number, number, number];
    expect(mask.length).toBe(sx * sy * sz);
    expect(r.headers.get("x-axonaut-step")).toBe("1");
    expect(mask.reduce((s, v) => s + v, 0)).toBe(consensusVoxels);

    const sk = (await (await exported(api.neuronSkeletonJson, `/neurons/${neuronId}/skeleton`, { id: neuronId })).json()) as { nodes: { id: number; parent: number; x: number }[]; region: { x0: number; x1: number } };
    expect(sk.nodes.length).toBeGreaterThan(0);
    expect(sk.nodes.every((n) => n.parent < n.id)).toBe(true);
    expect(sk.nodes.every((n) => n.x >= sk.region.x0 - 1 && n.x <= sk.region.x1)).toBe(true);
  });

  it("max-pools a mask", () => {
    const m = new Uint8Array(4 * 4 * 2);
    m[(1 * 4 + 3) * 4 + 3] = 1; // z=1, y=3, x=3
    const p = poolMask(m, { x: 4, y: 4, z: 2 }, 2);
    expect(p.shape).toEqual({ x: 2, y: 2, z: 1 });
    expect(Array.from(p.mask)).toEqual([0, 0, 0, 1]);
  });
});

describe("campaign stats over REST", () => {
  it("needs the owner's token (or session): anonymous 401, another researcher 404, a demoted owner 403", async () => {
    const url = `/campaigns/${draft.campaignId}/stats.csv?table=summary`;
    expect((await call(api.campaignStatsCsv, url, { id: draft.campaignId })).status).toBe(401);
    expect((await call(api.campaignStatsCsv, url, { id: draft.campaignId }, otherToken)).status).toBe(404);
    const ok = await call(api.campaignStatsCsv, url, { id: draft.campaignId }, ownerToken);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await ok.text()).trim().split("\n");
    expect(lines[0]).toMatch(/^campaign_id,name,status,cubes_done,cubes_open,neurons/);
    expect(lines[1]).toContain(`${draft.campaignId},Draft,DRAFT,0,1,1,0,0,`);
    expect(await body(await call(api.campaignStatsCsv, `/campaigns/${draft.campaignId}/stats.csv?table=x`, { id: draft.campaignId }, ownerToken))).toMatchObject({ field: "table" });
    const stats = await body(await call(api.campaignStatsJson, "", { id: draft.campaignId }, ownerToken));
    expect(stats).toMatchObject({ neurons: 1, cubesOpen: 1 });

    await t.db.user.update({ where: { id: owner.userId }, data: { role: "PLAYER" } });
    expect((await call(api.campaignStatsCsv, url, { id: draft.campaignId }, ownerToken)).status).toBe(403);
    await t.db.user.update({ where: { id: owner.userId }, data: { role: "RESEARCHER" } });
  });
});

describe("OpenAPI document", () => {
  /** Route files under app/api/v1 as OpenAPI paths ([id] → {id}, [...path] → {path}). */
  function routePaths(): string[] {
    const root = path.join(process.cwd(), "app", "api", "v1");
    const out: string[] = [];
    const walk = (dir: string, rel: string[]) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name), [...rel, e.name.replace(/^\[(?:\.\.\.)?(.+)\]$/, "{$1}")]);
        else if (e.name === "route.ts") out.push(`/${rel.join("/")}`);
      }
    };
    walk(root, []);
    // Import jobs (app/api/v1/imports) belong to the import page and are documented with it.
    return out.filter((p) => !p.startsWith("/imports")).sort();
  }

  it("is OpenAPI 3.1 and documents exactly the route files", () => {
    expect(openApiDocument.openapi).toBe("3.1.0");
    const documented = Object.keys(openApiDocument.paths).sort();
    expect(documented).toEqual(routePaths());
    for (const [p, item] of Object.entries(openApiDocument.paths)) {
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (item.get.parameters ?? []).filter((x) => x.in === "path").map((x) => x.name);
      expect(declared.sort(), `path parameters of ${p}`).toEqual(inPath.sort());
    }
  });
});

/** File names in an uncompressed ustar archive. */
function tarNames(tar: Uint8Array): string[] {
  const names: string[] = [];
  const dec = new TextDecoder();
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => dec.decode(h.subarray(a, a + n)).replace(/\0.*$/s, "");
    const size = parseInt(str(124, 12), 8);
    const prefix = str(345, 155);
    names.push(prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    // The checksum is right: the header's bytes with the checksum field as spaces.
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    expect(parseInt(str(148, 8), 8)).toBe(sum);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}
