// The researcher's campaign UI in real Chromium: create a campaign, place seeds with the keyboard and with a
// click in the slice viewer, publish, read the dashboard (axe: no serious or critical violations), create
// and see an API token once, and open a neuron's 3D view. Giving the researcher role (and, for the 3D view,
// retiring a cube by hand in place of simulated players) needs SQL on the server's database, so this runs
// where the browser tests use PostgreSQL (E2E_DATABASE_URL; PGlite is one process). The full journey with
// players is e2e/workbench.spec.ts's job.
import { expect, test } from "@playwright/test";
import { expectAccessible, signUpResearcher, sql } from "./helpers";

const dbUrl = process.env.E2E_DATABASE_URL;
test.skip(!dbUrl, "needs E2E_DATABASE_URL (PostgreSQL) to give the researcher role");

test("a researcher creates a campaign, places seeds, publishes, reads the dashboard and sees a neuron in 3D", async ({ page }) => {
  await signUpResearcher(page, "e2e-researcher");
  await page.goto("/researcher");
  await expect(page.getByRole("link", { name: "Import a volume" })).toHaveAttribute("href", "/researcher/import");
  await page.getByTestId("campaign-name").fill("Medulla column");
  await page.getByTestId("campaign-create").click();
  await page.waitForURL(/\/researcher\/campaigns\/[0-9a-f-]{36}$/);
  const campaignId = page.url().split("/").pop()!;
  await expect(page.getByTestId("campaign-status")).toContainText("Draft");

  // Keyboard: focus the viewer, move the cursor, change the slice, Enter places a seed (retry where the
  // cursor sits on background).
  const viewer = page.getByTestId("seed-picker");
  await viewer.focus();
  await page.keyboard.press("w");
  await expect(page.getByTestId("slice-slider")).toHaveValue("126");
  const message = page.getByTestId("seed-message");
  for (let attempt = 0; attempt < 8; attempt++) {
    await page.keyboard.press("Enter");
    await expect(message).not.toBeEmpty();
    if ((await message.textContent())?.startsWith("Added")) break;
    await page.keyboard.press("Shift+ArrowRight");
  }
  await expect(message).toContainText("Added");
  await expect(page.getByTestId("campaign-neurons").locator("tbody tr")).toHaveCount(1);

  // Mouse: a click at a quarter of the view places another seed (or says why not, naming the point).
  const box = (await viewer.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await expect(message).toContainText(/Added|no supervoxel|already seeds/);

  await page.getByTestId("publish").click();
  await expect(page.getByTestId("campaign-status")).toContainText("Published");
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await expect(page.getByTestId("cubes-open")).not.toHaveText("0");
  await expect(page.getByTestId("chart-agreement").locator("svg")).toBeVisible();
  await expectAccessible(page, "campaign dashboard");

  const csv = await page.request.get(`/api/v1/campaigns/${campaignId}/stats.csv?table=summary`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split("\n")[1]).toContain("Medulla column,PUBLISHED");

  // API token: shown once, then listed by its prefix only; it reads the campaign's stats.
  await page.goto("/researcher/tokens");
  await page.getByTestId("token-name").fill("nightly export");
  await page.getByTestId("token-create").click();
  const token = (await page.getByTestId("token-value").textContent())!;
  expect(token).toMatch(/^axn_/);
  await expectAccessible(page, "API tokens");
  await page.reload();
  await expect(page.getByTestId("token-list")).toContainText("nightly export");
  await expect(page.locator("body")).not.toContainText(token);
  const viaToken = await page.request.get(`/api/v1/campaigns/${campaignId}/stats`, { headers: { authorization: `Bearer ${token}` } });
  expect(viaToken.status()).toBe(200);

  // 3D: retire the first neuron's root cube with one small supervoxel as its consensus (players' work in
  // the full journey), then its page shows the surface and skeleton in a canvas.
  const [root] = await sql<{ id: string; neuronId: string; supervoxelIds: number[]; supervoxelSizes: number[] }>(
    `SELECT t."id", t."neuronId", t."supervoxelIds", t."supervoxelSizes" FROM "Task" t JOIN "Neuron" n ON n."id" = t."neuronId" WHERE n."campaignId" = $1 ORDER BY t."createdAt" LIMIT 1`,
    [campaignId],
  );
  const small = root!.supervoxelIds.map((id, k) => ({ id, size: root!.supervoxelSizes[k]! })).filter((s) => s.size >= 500).sort((a, b) => a.size - b.size)[0]!;
  await sql(`UPDATE "Task" SET "status" = 'RETIRED', "retiredAt" = now(), "consensus" = $2, "confidence" = 0.95 WHERE "id" = $1`, [root!.id, [small.id]]);
  await page.goto(`/neurons/${root!.neuronId}`);
  const view = page.getByTestId("neuron-3d");
  await expect(view.locator("canvas")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("neuron-3d-status")).toContainText("triangles");
  await expectAccessible(page, "neuron 3D view");
});
