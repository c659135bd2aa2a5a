// Shared browser-test helpers: playing a cube through the real game, accessibility checks, keyboard moves.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";
import "../game/types"; // window.__axonautGame

export async function waitForGame(page: Page) {
  await page.waitForFunction(() => Boolean(window.__axonautGame), null, { timeout: 90_000 });
  await expect(page.getByTestId("submit")).toBeEnabled({ timeout: 90_000 });
}

/** A supervoxel near the middle of the current slice that is not selected yet, away from its edges. */
export async function findCandidate(page: Page, skip: number[] = []) {
  return page.evaluate((skipIds) => {
    const g = window.__axonautGame!;
    const size = g.cubeSize();
    const z = g.slice().local;
    const taken = new Set([...g.selection(), ...skipIds]);
    const cx = Math.floor(size.x / 2),
      cy = Math.floor(size.y / 2);
    // Nearest to the middle first, out to the whole slice (supervoxels can be large).
    for (let r = 1; r < Math.max(size.x, size.y); r++) {
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
          if (cx + dx < 1 || cy + dy < 1 || cx + dx >= size.x - 1 || cy + dy >= size.y - 1) continue;
          const id = g.supervoxelAt(cx + dx, cy + dy, z);
          if (!id || taken.has(id)) continue;
          const around = [g.supervoxelAt(cx + dx + 1, cy + dy, z), g.supervoxelAt(cx + dx - 1, cy + dy, z), g.supervoxelAt(cx + dx, cy + dy + 1, z), g.supervoxelAt(cx + dx, cy + dy - 1, z)];
          if (around.every((a) => a === id)) return { x: cx + dx, y: cy + dy, id };
        }
      }
    }
    return null;
  }, skip);
}

export async function clickVoxel(page: Page, v: { x: number; y: number }) {
  const p = await page.evaluate(({ x, y }) => window.__axonautGame!.voxelToClient(x, y), v);
  await page.mouse.click(p.x, p.y);
}

/** Opens /play, adds one supervoxel with a real click, submits; returns the points shown. */
export async function playOneCube(page: Page) {
  await page.goto("/play");
  await waitForGame(page);
  const selected = page.getByTestId("hud-selected");
  const before = Number(await selected.textContent());
  const c = await findCandidate(page);
  expect(c).not.toBeNull();
  await clickVoxel(page, c!);
  await expect(selected).toHaveText(String(before + 1));
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("result")).toBeVisible();
  return Number((await page.getByTestId("points").textContent())!.replace(/[^0-9]/g, ""));
}

/** axe-core on the page as it is now (WCAG 2.1 A and AA): no serious or critical violations. */
export async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join("\n  ")}`).join("\n");
  expect(bad, `accessibility violations on ${what}:\n${report}`).toEqual([]);
  return result;
}

/** Presses Tab until `target` has the focus (fails after `max` presses): proves it is reachable by keyboard. */
export async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`could not reach ${target} with Tab`);
}

/** SQL on the browser tests' PostgreSQL database (E2E_DATABASE_URL): roles and checks the UI cannot make. */
export async function sql<T extends object>(text: string, values: unknown[] = []): Promise<T[]> {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Signs up through the form, then gives the account the researcher role (`beforePromotion` runs as a player). */
export async function signUpResearcher(page: Page, username: string, beforePromotion?: () => Promise<void>) {
  await page.goto("/signup");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password (at least 10 characters)").fill("researcher-2026");
  await page.getByLabel("Repeat password").fill("researcher-2026");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByTestId("nav-username")).toHaveText(username);
  await beforePromotion?.();
  await sql(`UPDATE "User" SET role = 'RESEARCHER' WHERE username = $1`, [username]);
}
