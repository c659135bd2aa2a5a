// Exports as jobs, over REST, on a real database (PGlite, or PostgreSQL when DATABASE_URL names one) with
// the real queue (pg-boss on the same database) and the ingested sample: a first request answers 202 with
// a job, the job stores the files, later requests answer 200 with a strong ETag and 304 on If-None-Match;
// a changed consensus is a new version; concurrent requests share one job; invisible neurons and bad
// input queue nothing; the URLs read directly wait for the job, or answer 503 with Retry-After.
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSwc, validateSwc } from "@/core/swc";
import { SAMPLE } from "@/server/cli/setup";
import { startJobRuntime, type JobRuntime } from "@/server/jobs/runtime";
import type { Actor } from "@/server/services/actor";
import { createApiToken } from "@/server/services/api-tokens";
import { addSeed, createCampaign } from "@/server/services/campaigns";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { EXPORT_KIND, runExportJob } from "@/server/services/exports";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { readManifest } from "@/server/store/store";
import { createTestDatabase, queueTarget, type TestDb } from "@/test-support/db";
import * as api from "./rest-api";

const exportsDir = mkdtempSync(path.join(os.tmpdir(), "axonaut-export-jobs-"));
process.env.AXONAUT_EXPORTS = exportsDir;

let t: TestDb;
let runtime: JobRuntime;
let neuronId: string;
let rootTaskId: string;
let small: number[];
let ownerToken: string;
let otherToken: string;
let draftNeuronId: string;

const req = (url: string, token?: string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost/api/v1${url}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
const exportUrl = (id: string, format: string) => `/neurons/${id}/export?format=${format}`;
const getExport = (id: string, format: string, token?: string, headers: Record<string, string> = {}) => api.exportNeuronApi(t.db, req(exportUrl(id, format), token, headers), { id });
const jobCount = () => t.db.job.count({ where: { kind: EXPORT_KIND } });
type Job = { id: string; status: string; progress: number; error: string | null; links: { self: string; download: string | null } };

/** Polls the job's status URL (as the researcher page does) until it finished. */
async function finished(jobUrl: string, token?: string): Promise<Job> {
  const id = jobUrl.split("/").pop()!;
  for (let i = 0; i < 300; i++) {
    const r = await api.jobStatusApi(t.db, req(`/jobs/${id}`, token), { id });
    expect(r.status).toBe(200);
    const j = (await r.json()) as Job;
    if (j.status === "SUCCEEDED" || j.status === "FAILED") return j;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`job ${id} did not finish`);
}

async function researcher(): Promise<Actor> {
  const u = await t.db.user.create({ data: { username: `researcher-${randomUUID().slice(0, 8)}`, role: "RESEARCHER" } });
  return { userId: u.id, username: u.username, role: u.role, isGuest: false };
}

beforeAll(async () => {
  t = await createTestDatabase();
  const { datasetId } = await registerDatasetIn(t.db, await readManifest(SAMPLE.slug));
  const [neuron] = await seedDemoCampaign(t.db, datasetId, { neurons: 1 });
  neuronId = neuron!.id;
  // A retired root cube whose consensus is one small supervoxel: quick to skeletonize.
  const root = await t.db.task.findFirstOrThrow({ where: { neuronId } });
  rootTaskId = root.id;
  small = root.supervoxelIds.map((id, k) => ({ id, size: root.supervoxelSizes[k]! })).filter((s) => s.size >= 200).sort((a, b) => a.size - b.size).slice(0, 2).map((s) => s.id);
  await t.db.task.update({ where: { id: root.id }, data: { status: "RETIRED", retiredAt: new Date(), consensus: [small[0]!], confidence: 0.97, submissions: 3 } });

  const owner = await researcher();
  ownerToken = (await createApiToken(t.db, owner, { name: "tests" })).token;
  otherToken = (await createApiToken(t.db, await researcher(), { name: "other" })).token;
  const c = await createCampaign(t.db, owner, { name: "Draft", datasetId, minPlayers: 3, maxPlayers: 6, retireConfidence: 0.9 });
  const n = await addSeed(t.db, owner, { campaignId: c.id, point: { x: 200, y: 200, z: 200 } }).catch(() => addSeed(t.db, owner, { campaignId: c.id, point: { x: 30, y: 30, z: 30 } }));
  draftNeuronId = n.id;
  const draftRoot = await t.db.task.findFirstOrThrow({ where: { neuronId: n.id } });
  await t.db.task.update({ where: { id: draftRoot.id }, data: { status: "RETIRED", retiredAt: new Date(), consensus: draftRoot.supervoxelIds.slice(0, 1), confidence: 0.9, submissions: 3 } });

  runtime = await startJobRuntime(t, { [EXPORT_KIND]: (id) => runExportJob(t.db, id) }, { pollingIntervalSeconds: 0.5, ...(await queueTarget(t)) });
}, 300_000);
afterAll(async () => {
  await runtime?.stop();
  await t?.drop();
  rmSync(exportsDir, { recursive: true, force: true });
});

describe("exports as jobs", () => {
  it("bad input and invisible neurons answer 4xx and queue nothing", async () => {
    const bad = await getExport(neuronId, "obj");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: "format" });
    expect((await api.exportNeuronApi(t.db, req(`${exportUrl(neuronId, "swc")}&version=xyz`), { id: neuronId })).status).toBe(400);
    expect((await api.exportNeuronApi(t.db, req(`${exportUrl(neuronId, "swc")}&mode=fast`), { id: neuronId })).status).toBe(400);
    expect((await api.exportNeuronApi(t.db, req(exportUrl("nope", "swc")), { id: "nope" })).status).toBe(404);
    // A draft campaign's neuron: hidden from anonymous callers and other researchers, on every export URL.
    expect((await getExport(draftNeuronId, "swc")).status).toBe(404);
    expect((await getExport(draftNeuronId, "swc", otherToken)).status).toBe(404);
    expect((await api.skeletonSwcApi(t.db, req(""), { id: draftNeuronId })).status).toBe(404);
    expect((await api.precomputedFile(t.db, req(""), { id: draftNeuronId, path: ["info"] })).status).toBe(404);
    expect((await api.neuronMask(t.db, req("", otherToken), { id: draftNeuronId })).status).toBe(404);
    expect(await jobCount()).toBe(0);
  });

  it("202 with a job, the job stores the files, then 200 with a strong ETag and 304 on If-None-Match", async () => {
    const first = await getExport(neuronId, "swc");
    expect(first.status).toBe(202);
    expect(first.headers.get("retry-after")).toMatch(/^\d+$/);
    const pending = (await first.json()) as { job: { id: string }; links: { job: string } };
    expect(first.headers.get("location")).toBe(pending.links.job);
    expect(pending.links.job).toBe(`/api/v1/jobs/${pending.job.id}`);

    const job = await finished(pending.links.job);
    expect(job, job.error ?? "").toMatchObject({ status: "SUCCEEDED", progress: 1 });
    const [version] = readdirSync(path.join(exportsDir, neuronId)).filter((n) => n.startsWith("swc-"));
    expect(existsSync(path.join(exportsDir, neuronId, version!, "manifest.json"))).toBe(true);
    expect(job.links.download).toBe(`/api/v1/neurons/${neuronId}/export?format=swc&version=${version!.slice(4)}`);

    const second = await getExport(neuronId, "swc");
    expect(second.status).toBe(200);
    const etag = second.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(second.headers.get("cache-control")).toBe("public, no-cache");
    expect(second.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.swc"/);
    expect(second.headers.get("content-location")).toBe(job.links.download);
    const swc = parseSwc(await second.text());
    expect(validateSwc(swc)).toEqual([]);
    expect(swc.header.join("\n")).toMatch(/license/i);

    const again = await getExport(neuronId, "swc", undefined, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    const versioned = await api.exportNeuronApi(t.db, req(job.links.download!.replace("/api/v1", "")), { id: neuronId });
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(versioned.headers.get("etag")).toBe(etag);
    expect(await jobCount()).toBe(1);
  });

  it("a changed consensus is a new version (new job, new ETag); the old version stays downloadable; back again = the stored one", async () => {
    const before = await getExport(neuronId, "swc");
    const oldEtag = before.headers.get("etag")!;
    const oldUrl = before.headers.get("content-location")!.replace("/api/v1", "");
    await t.db.task.update({ where: { id: rootTaskId }, data: { consensus: small } });
    const changed = await getExport(neuronId, "swc");
    expect(changed.status).toBe(202);
    const job = await finished(((await changed.json()) as { links: { job: string } }).links.job);
    expect(job.status).toBe("SUCCEEDED");
    const now = await getExport(neuronId, "swc");
    expect(now.status).toBe(200);
    expect(now.headers.get("etag")).not.toBe(oldEtag);
    expect(now.headers.get("content-location")).not.toBe(before.headers.get("content-location"));
    expect(readdirSync(path.join(exportsDir, neuronId)).filter((n) => n.startsWith("swc-"))).toHaveLength(2);
    // The old version's URL still answers its own (immutable) file; an unknown version is a clear 404.
    const old = await api.exportNeuronApi(t.db, req(oldUrl), { id: neuronId });
    expect(old.status).toBe(200);
    expect(old.headers.get("etag")).toBe(oldEtag);
    const unknown = await api.exportNeuronApi(t.db, req(`${exportUrl(neuronId, "swc")}&version=${"0".repeat(32)}`), { id: neuronId });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ field: "version" });

    const jobs = await jobCount();
    await t.db.task.update({ where: { id: rootTaskId }, data: { consensus: [small[0]!] } });
    const back = await getExport(neuronId, "swc");
    expect(back.status).toBe(200);
    expect(back.headers.get("etag")).toBe(oldEtag);
    expect(await jobCount()).toBe(jobs);
  });

  it("concurrent requests for the same export share one job", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => getExport(neuronId, "nml", i % 2 ? ownerToken : undefined)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as { job: { id: string } }).job.id)));
    expect(ids.size).toBe(1);
    expect(await t.db.job.count({ where: { kind: EXPORT_KIND, payload: { path: ["artifact"], equals: "nml" } } })).toBe(1);
    const job = await finished(`/api/v1/jobs/${[...ids][0]}`);
    expect(job.status).toBe("SUCCEEDED");
    const nml = await getExport(neuronId, "nml");
    expect(nml.status).toBe(200);
    expect(await nml.text()).toMatch(/<things>[\s\S]*<node /);
  });

  it("a draft neuron's export and its job are for its owner only, and cached privately", async () => {
    const queued = await getExport(draftNeuronId, "swc", ownerToken);
    expect(queued.status).toBe(202);
    const { job } = (await queued.json()) as { job: { id: string } };
    for (const token of [undefined, otherToken]) {
      expect((await api.jobStatusApi(t.db, req(`/jobs/${job.id}`, token), { id: job.id })).status).toBe(404);
    }
    expect((await finished(`/api/v1/jobs/${job.id}`, ownerToken)).status).toBe("SUCCEEDED");
    const file = await getExport(draftNeuronId, "swc", ownerToken);
    expect(file.status).toBe(200);
    expect(file.headers.get("cache-control")).toBe("private, no-cache");
    expect((await getExport(draftNeuronId, "swc", otherToken)).status).toBe(404);
    expect((await api.jobStatusApi(t.db, req(`/jobs/${randomUUID()}`, ownerToken), { id: randomUUID() })).status).toBe(404);
  });

  it("the URLs read directly wait for the job (precomputed, mask, skeleton, skeleton.swc), or answer 503 with Retry-After", async () => {
    process.env.AXONAUT_EXPORT_WAIT_S = "60";
    try {
      const info = await api.precomputedFile(t.db, req(""), { id: neuronId, path: ["info"] });
      expect(info.status).toBe(200);
      expect(info.headers.get("access-control-allow-origin")).toBe("*");
      expect(((await info.json()) as { type: string }).type).toBe("segmentation");
      const etag = info.headers.get("etag")!;
      expect((await api.precomputedFile(t.db, req("", undefined, { "if-none-match": etag }), { id: neuronId, path: ["info"] })).status).toBe(304);
      expect((await api.precomputedFile(t.db, req(""), { id: neuronId, path: ["nothing"] })).status).toBe(404);

      const mask = await api.neuronMask(t.db, req(""), { id: neuronId });
      expect(mask.status).toBe(200);
      expect(mask.headers.get("content-encoding")).toBe("gzip");
      const [sx, sy, sz] = mask.headers.get("x-axonaut-shape")!.split(",").map(Number) as [number, number, number];
      expect(gunzipSync(new Uint8Array(await mask.arrayBuffer())).length).toBe(sx * sy * sz);
      const sk = (await (await api.neuronSkeletonJson(t.db, req(""), { id: neuronId })).json()) as { nodes: unknown[] };
      expect(sk.nodes.length).toBeGreaterThan(0);
      const swc = await api.skeletonSwcApi(t.db, req(""), { id: neuronId });
      expect(swc.status).toBe(200);
      expect(swc.headers.get("content-disposition")).toMatch(/\.swc"$/);

      // A new version and no time to wait: 503 with Retry-After and the job; the job still runs.
      process.env.AXONAUT_EXPORT_WAIT_S = "0";
      await t.db.task.update({ where: { id: rootTaskId }, data: { consensus: small } });
      const busy = await api.precomputedFile(t.db, req(""), { id: neuronId, path: ["info"] });
      expect(busy.status).toBe(503);
      expect(busy.headers.get("retry-after")).toMatch(/^\d+$/);
      const { links } = (await busy.json()) as { links: { job: string } };
      expect((await finished(links.job)).status).toBe("SUCCEEDED");
      expect((await api.precomputedFile(t.db, req(""), { id: neuronId, path: ["info"] })).status).toBe(200);
    } finally {
      delete process.env.AXONAUT_EXPORT_WAIT_S;
    }
  }, 120_000);
});
