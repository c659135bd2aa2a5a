// The researcher's whole journey (issue #6) in real Chromium: import a small volume through the upload page
// (the boundary model makes its supervoxels), create a campaign on it, place a seed by clicking in the slice
// viewer, set the redundancy, publish; scripted players (over HTTP, as browsers would: guest sign-in, tRPC
// task.assign / trace.submit) finish the neuron; the researcher sees it complete on the dashboard and in 3D,
// and downloads SWC, NML and Neuroglancer precomputed files (each made by an export job), which this test parses.
// Giving the researcher role needs SQL on the server's database, so this runs where the browser tests use
// PostgreSQL (E2E_DATABASE_URL; PGlite is one process).
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test, type Download, type Page } from "@playwright/test";
import { Player, newStats } from "../bench/load/client";
import { parseNml } from "../core/nml";
import { decodeRawChunk, decodeSkeleton } from "../core/precomputed";
import { parseSwc, validateSwc } from "../core/swc";
import { expectAccessible, signUpResearcher, sql } from "./helpers";

test.skip(!process.env.E2E_DATABASE_URL, "needs E2E_DATABASE_URL (PostgreSQL) to give the researcher role");

const NAME = "Journey volume";
const SIZE = { x: 128, y: 128, z: 40 };

/** 128×128 crops of the bundled sample's slices, as PNG files (the researcher's own volume). */
async function slices(): Promise<string[]> {
  const sharp = (await import("sharp")).default;
  const dir = await mkdtemp(path.join(os.tmpdir(), "axonaut-e2e-journey-"));
  const files: string[] = [];
  for (let z = 0; z < SIZE.z; z++) {
    const f = path.join(dir, `em_${String(z).padStart(3, "0")}.png`);
    await sharp(path.join("data", "neuroproof-medulla", "slices", `iso.${2600 + 60 + z}.png`)).extract({ left: 60, top: 60, width: SIZE.x, height: SIZE.y }).png().toFile(f);
    files.push(f);
  }
  return files;
}

async function saved(download: Download): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "axonaut-e2e-dl-"));
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

async function downloadFrom(page: Page, testId: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return saved(download);
}

test("a researcher imports a volume, runs a campaign that players finish, sees the neuron in 3D and downloads it", async ({ page, baseURL }) => {
  test.setTimeout(600_000);
  await signUpResearcher(page, "e2e-journey-researcher");

  // 1. Import: upload the slices; the job's per-stage progress ends in a ready dataset.
  await page.goto("/researcher/import");
  await page.getByLabel("Files", { exact: true }).setInputFiles(await slices());
  await page.getByLabel("Name", { exact: true }).fill(NAME);
  await page.getByLabel(/^Voxel size in nm/).fill("10,10,10");
  await page.getByLabel("License").fill("CC BY 3.0");
  await page.getByLabel("Attribution").fill("Janelia FlyEM (HHMI)");
  await page.getByRole("button", { name: "Import" }).click();
  const job = page.getByTestId("import-job").filter({ hasText: NAME });
  await expect(job).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 300_000 });
  const [dataset] = await sql<{ id: string; supervoxelCount: number }>(`SELECT "id", "supervoxelCount" FROM "Dataset" WHERE "name" = $1`, [NAME]);
  expect(dataset!.supervoxelCount).toBeGreaterThan(10); // the model's watershed made supervoxels

  // 2. Campaign on the new dataset: a seed clicked in the slice viewer, two players per cube, published.
  await page.goto("/researcher");
  await page.getByTestId("campaign-name").fill("Journey campaign");
  await page.getByTestId("campaign-dataset").selectOption(dataset!.id);
  await page.getByTestId("campaign-create").click();
  await page.waitForURL(/\/researcher\/campaigns\/[0-9a-f-]{36}$/);
  const campaignId = page.url().split("/").pop()!;
  const viewer = page.getByTestId("seed-picker");
  await expect(viewer).toBeVisible();
  const message = page.getByTestId("seed-message");
  const box = (await viewer.boundingBox())!;
  for (const [fx, fy] of [[0.5, 0.5], [0.4, 0.55], [0.6, 0.45], [0.45, 0.4], [0.55, 0.6]] as const) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    await expect(message).not.toBeEmpty();
    if ((await message.textContent())?.startsWith("Added")) break;
  }
  await expect(message).toContainText("Added");
  await page.getByLabel("Players per cube at least").fill("2");
  await page.getByLabel("Players per cube at most").fill("2");
  await page.getByRole("button", { name: "Save redundancy" }).click();
  await expect(page.getByTestId("campaign-status")).toContainText("2–2 players per cube");
  await page.getByTestId("publish").click();
  await expect(page.getByTestId("campaign-status")).toContainText("Published");
  const [neuron] = await sql<{ id: string }>(`SELECT "id" FROM "Neuron" WHERE "campaignId" = $1`, [campaignId]);

  // 3. Players finish the neuron: each traces the cube it is given (its seeds) until no cube of it is open.
  const stats = newStats();
  const players = Array.from({ length: 6 }, (_, i) => new Player([baseURL!], i, stats));
  for (const p of players) await p.signInGuest();
  const status = async () => (await sql<{ status: string }>(`SELECT "status" FROM "Neuron" WHERE "id" = $1`, [neuron!.id]))[0]!.status;
  const deadline = Date.now() + 240_000;
  while ((await status()) !== "COMPLETE") {
    expect(Date.now(), "the neuron was not finished within 4 minutes").toBeLessThan(deadline);
    let played = 0;
    for (const p of players) {
      const task = await p.assign();
      if (!task) continue;
      await p.submit(task.taskId, task.seeds);
      played++;
    }
    expect(played, "players ran out of cubes before the neuron was complete").toBeGreaterThan(0);
  }
  const cubes = await sql<{ status: string; submissions: number }>(`SELECT "status", "submissions" FROM "Task" WHERE "neuronId" = $1`, [neuron!.id]);
  expect(cubes.length).toBeGreaterThan(0);
  expect(cubes.every((c) => c.status === "RETIRED" && c.submissions === 2)).toBe(true);

  // 4. The dashboard shows it complete; the neuron's page shows it in 3D.
  await page.goto(`/researcher/campaigns/${campaignId}`);
  await expect(page.getByTestId("neurons-complete")).toHaveText("1 / 1");
  await expect(page.getByTestId("cubes-done")).toHaveText(String(cubes.length));
  await page.goto(`/neurons/${neuron!.id}`);
  await expect(page.getByTestId("neuron-3d").locator("canvas")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("neuron-3d-status")).toContainText("triangles");
  await expect(page.locator("body")).toContainText("CC BY 3.0");
  await expectAccessible(page, "the finished neuron's page");

  // 5. Downloads that other tools accept. Each export is made by a job; the page says when it is ready.
  const swc = parseSwc(await readFile(await downloadFrom(page, "download-swc"), "utf8"));
  await expect(page.getByTestId("export-status")).toContainText(/SWC skeleton export .*downloading/);
  expect(validateSwc(swc)).toEqual([]);
  expect(swc.nodes.length).toBeGreaterThan(0);
  expect(swc.nodes[0]!.parent).toBe(-1);
  expect(swc.header.join("\n")).toContain("CC BY 3.0");
  // SWC is in µm: the 128 × 128 × 40 volume at 10 nm is 1.28 × 1.28 × 0.4 µm.
  for (const n of swc.nodes) expect(n.x >= 0 && n.x <= 1.28 && n.y >= 0 && n.y <= 1.28 && n.z >= 0 && n.z <= 0.4).toBe(true);

  const nml = parseNml(await readFile(await downloadFrom(page, "download-nml"), "utf8"));
  expect(nml.scale).toEqual({ x: 10, y: 10, z: 10 });
  expect(nml.trees.reduce((s, t) => s + t.nodes.length, 0)).toBe(swc.nodes.length);
  for (const t of nml.trees) for (const n of t.nodes) expect(n.x >= 0 && n.x < SIZE.x && n.y >= 0 && n.y < SIZE.y && n.z >= 0 && n.z < SIZE.z).toBe(true);

  const tgz = await downloadFrom(page, "download-precomputed");
  const out = await mkdtemp(path.join(os.tmpdir(), "axonaut-e2e-precomputed-"));
  execFileSync("tar", ["-xzf", tgz, "-C", out]);
  const [folder] = await readdir(out);
  const root = path.join(out, folder!);
  const info = JSON.parse(await readFile(path.join(root, "info"), "utf8"));
  expect(info).toMatchObject({ "@type": "neuroglancer_multiscale_volume", type: "segmentation", data_type: "uint32", skeletons: "skeletons" });
  const scale = info.scales[0];
  expect(scale.resolution).toEqual([10, 10, 10]);
  const chunks = await readdir(path.join(root, scale.key));
  let neuronVoxels = 0;
  for (const c of chunks) {
    const { labels } = decodeRawChunk(c, new Uint8Array(await readFile(path.join(root, scale.key, c))));
    for (const v of labels) if (v === 1) neuronVoxels++;
  }
  expect(neuronVoxels).toBeGreaterThan(0);
  const skInfo = JSON.parse(await readFile(path.join(root, "skeletons", "info"), "utf8"));
  expect(skInfo["@type"]).toBe("neuroglancer_skeletons");
  const sk = decodeSkeleton(new Uint8Array(await readFile(path.join(root, "skeletons", "1"))));
  expect(sk.positions.length / 3).toBe(swc.nodes.length);
  expect(sk.radius.every((r) => r > 0)).toBe(true);
  expect(await readFile(path.join(root, "LICENSE.txt"), "utf8")).toContain("Janelia FlyEM");
  expect(stats.acknowledged.length).toBeGreaterThanOrEqual(cubes.length * 2);
});
