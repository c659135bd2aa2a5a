// The crowd engine in real Chromium: three guests trace the same cube of a demo neuron (real mouse clicks);
// the second sees the review colours in the game, the third completes the cube, and because the neuron's
// consensus leaves the cube through its faces, neighbouring cubes spawn and show up on the neuron's page.
import { expect, test, type Browser, type Page } from "@playwright/test";

async function guest(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/");
  await page.getByRole("button", { name: /play now as a guest/i }).click();
  await expect(page).toHaveURL(/\/play$/);
  await page.waitForFunction(() => Boolean(window.__axonautGame), null, { timeout: 90_000 });
  await expect(page.getByTestId("submit")).toBeEnabled({ timeout: 90_000 });
  return page;
}

/** The biggest not-yet-selected supervoxel near the middle of the current slice, with a voxel inside it. */
async function biggestCandidate(page: Page) {
  return page.evaluate(() => {
    const g = window.__axonautGame!;
    const { x: sx, y: sy } = g.cubeSize();
    const z = g.slice().local;
    const taken = new Set(g.selection());
    const area = new Map<number, { n: number; x: number; y: number }>();
    for (let y = 1; y < sy - 1; y++) {
      for (let x = 1; x < sx - 1; x++) {
        const id = g.supervoxelAt(x, y, z);
        if (!id || taken.has(id)) continue;
        // Only voxels well inside the supervoxel, so the click lands on it.
        const around = [g.supervoxelAt(x + 1, y, z), g.supervoxelAt(x - 1, y, z), g.supervoxelAt(x, y + 1, z), g.supervoxelAt(x, y - 1, z)];
        if (!around.every((a) => a === id)) continue;
        const a = area.get(id) ?? { n: 0, x, y };
        a.n++;
        area.set(id, a);
      }
    }
    const best = [...area].sort((a, b) => b[1].n - a[1].n || a[0] - b[0])[0];
    return best ? { id: best[0], x: best[1].x, y: best[1].y } : null;
  });
}

async function clickVoxel(page: Page, v: { x: number; y: number }) {
  const p = await page.evaluate(({ x, y }) => window.__axonautGame!.voxelToClient(x, y), v);
  await page.mouse.move(p.x, p.y);
  await page.mouse.click(p.x, p.y);
}

/** Adds the biggest candidate with a real click and submits; returns the game's task cube and the clicked id. */
async function traceAndSubmit(page: Page) {
  const pick = await biggestCandidate(page);
  expect(pick).not.toBeNull();
  const before = Number(await page.getByTestId("hud-selected").textContent());
  await clickVoxel(page, pick!);
  await expect(page.getByTestId("hud-selected")).toHaveText(String(before + 1));
  expect(await page.evaluate(() => window.__axonautGame!.selection())).toContain(pick!.id);
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("result")).toBeVisible();
  return pick!.id;
}

test("guests trace until a cube retires and spawns its neighbours; review colours show after submitting", async ({ browser }) => {
  // Guests play whatever cube they are given (the one closest to retirement: after the first, they pile onto
  // the same cube), until one submission retires a cube whose consensus leaves it: a demo neuron's seed
  // already reaches the cube's faces. Earlier specs may have left a cube half traced; that one goes first.
  let spawnedBy: Page | null = null;
  let reviewed = false;
  const picks: number[] = [];
  for (let i = 0; i < 8 && !spawnedBy; i++) {
    const page = await guest(browser);
    const candidate = await biggestCandidate(page);
    const picked = await traceAndSubmit(page);
    expect(picked).toBe(candidate!.id);
    picks.push(picked);
    const first = (await page.getByTestId("comparison").textContent())!.includes("first on this cube");
    if (first) {
      // Nobody to be compared with: no review yet.
      expect(await page.evaluate(() => window.__axonautGame!.review())).toBeNull();
    } else {
      // Review mode: the game colours the player's supervoxels against the consensus of the players before.
      const legend = page.getByTestId("review-legend");
      await expect(legend).toBeVisible();
      const review = (await page.evaluate(() => window.__axonautGame!.review()))!;
      expect(review).not.toBeNull();
      expect([...review.correct, ...review.extra]).toContain(picked);
      await expect(legend).toContainText(`${review.correct.length} correct`);
      await expect(legend).toContainText(`${review.missed.length} missed`);
      reviewed = true;
    }
    if (await page.getByTestId("spawned").isVisible()) spawnedBy = page;
  }
  expect(reviewed).toBe(true);
  expect(spawnedBy).not.toBeNull();
  const page = spawnedBy!;
  await expect(page.getByTestId("result")).toContainText("This cube is complete");
  const spawned = Number((await page.getByTestId("spawned").textContent())!.match(/(\d+) new/)![1]);
  expect(spawned).toBeGreaterThan(0);

  // The neuron's page lists the retired cube and the cubes that grew from it, still open.
  await page.getByRole("link", { name: "See the neuron" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const rows = page.locator("table tbody tr");
  await expect(rows.filter({ hasText: "done" }).first()).toBeVisible();
  // Spawned cubes name the cube they grew from; the new ones are open.
  const grownOpen = rows.filter({ hasText: /cube \d+$/ }).filter({ hasText: "open" });
  expect(await grownOpen.count()).toBeGreaterThanOrEqual(spawned);
  await expect(page.getByTestId("download-swc")).toBeVisible();
});
