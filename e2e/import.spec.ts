// A researcher imports a small volume in the browser: upload PNG slices, follow the per-stage progress
// (it survives a reload), see the dataset ready with its license and attribution; a bad upload fails with a
// message naming the file and leaves no dataset. Giving the researcher role needs SQL on the server's
// database, so this runs where the browser tests use PostgreSQL (E2E_DATABASE_URL; PGlite is one process).
import { mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { expectAccessible, signUpResearcher, sql } from "./helpers";

const dbUrl = process.env.E2E_DATABASE_URL;
test.skip(!dbUrl, "needs E2E_DATABASE_URL (PostgreSQL) to give the researcher role");

/** 128×128 crops of the bundled sample's first slices, as PNG files. */
async function slices(n: number, odd?: number): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "axonaut-e2e-import-"));
  const files: string[] = [];
  for (let z = 0; z < n; z++) {
    const f = path.join(dir, `slice_${z}.png`);
    const size = z === odd ? 120 : 128;
    await sharp(path.join("data", "neuroproof-medulla", "slices", `iso.${2600 + z}.png`)).extract({ left: 40, top: 40, width: size, height: 128 }).png().toFile(f);
    files.push(f);
  }
  return files;
}

async function fillCommon(page: Page, name: string) {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel(/^Voxel size in nm/).fill("10,10,10");
  await page.getByLabel("License").fill("CC BY 3.0");
  await page.getByLabel("Attribution").fill("Janelia FlyEM (HHMI)");
}

test("a researcher uploads PNG slices, watches the progress across a reload, and gets the dataset", async ({ page }) => {
  await signUpResearcher(page, "e2e-importer", async () => {
    // still a player: the server refuses the page
    await page.goto("/researcher/import");
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Only researchers and admins can import volumes");
  });
  await page.goto("/researcher/import");
  await expect(page.getByRole("heading", { name: "Import a volume" })).toBeVisible();
  await expectAccessible(page, "import page");

  await page.getByLabel("Files", { exact: true }).setInputFiles(await slices(6));
  await fillCommon(page, "E2E upload");
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(/Import started/);
  const card = page.getByTestId("import-job").filter({ hasText: "E2E upload" });
  await expect(card).toBeVisible();

  // progress lives in the database: a reload shows the same job, still going or done
  await page.reload();
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 150_000 });
  await expect(card).toContainText("Dataset ready");
  await expect(card).toContainText("License: CC BY 3.0. Attribution: Janelia FlyEM (HHMI)");
  const rows = await sql<{ width: number; depth: number; license: string }>(`SELECT width, depth, license FROM "Dataset" WHERE slug = 'e2e-upload'`);
  expect(rows).toEqual([{ width: 128, depth: 6, license: "CC BY 3.0" }]);
});

test("a bad upload fails naming the file, and no dataset appears", async ({ page }) => {
  await signUpResearcher(page, "e2e-importer-2");
  await page.goto("/researcher/import");
  await page.getByLabel("Files", { exact: true }).setInputFiles(await slices(3, 2));
  await fillCommon(page, "E2E mixed");
  await page.keyboard.press("Enter"); // the form works from the keyboard
  const card = page.getByTestId("import-job").filter({ hasText: "E2E mixed" });
  await expect(card).toHaveAttribute("data-status", "FAILED", { timeout: 120_000 });
  await expect(card.getByRole("alert")).toHaveText("slice_2.png is 120×128 but slice_0.png is 128×128 (all slices must have the same size)");
  expect(await sql(`SELECT id FROM "Dataset" WHERE slug = 'e2e-mixed'`)).toEqual([]);
  const uploads = path.join(process.env.E2E_DATA_DIR ?? ".data/e2e", "uploads");
  expect(await readdir(uploads).catch(() => [])).toEqual([]); // the upload folder went with the job
});
