// The foundation's journey in real Chromium: three players (one signs up, two play as guests) trace the
// same cube of the real sample volume; the third submission completes it, and the neuron's skeleton
// downloads as SWC that parses and validates.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { parseSwc, validateSwc } from "../core/swc";
import { findCandidate, waitForGame } from "./helpers";

const expectedDb = process.env.E2E_DB_KIND ?? "pglite";

async function clickVoxel(page: Page, v: { x: number; y: number }, modifiers: ("Control")[] = []) {
  const p = await page.evaluate(({ x, y }) => window.__axonautGame!.voxelToClient(x, y), v);
  await page.mouse.move(p.x, p.y);
  for (const m of modifiers) await page.keyboard.down(m);
  await page.mouse.click(p.x, p.y);
  for (const m of modifiers) await page.keyboard.up(m);
}

async function playCube(page: Page, opts: { tryExtraAndUndo: boolean; screenshot?: string }) {
  await page.goto("/play");
  await waitForGame(page);
  const selected = page.getByTestId("hud-selected");
  const seeds = Number(await selected.textContent());
  expect(seeds).toBeGreaterThanOrEqual(1);

  // Slices: W goes up one, S comes back; the HUD follows.
  const z0 = await page.evaluate(() => window.__axonautGame!.slice().z);
  const hudBefore = await page.getByTestId("hud-slice").textContent();
  await page.keyboard.press("w");
  await expect.poll(() => page.evaluate(() => window.__axonautGame!.slice().z)).not.toBe(z0);
  await expect(page.getByTestId("hud-slice")).not.toHaveText(hudBefore!);
  await page.keyboard.press("s");
  await expect.poll(() => page.evaluate(() => window.__axonautGame!.slice().z)).toBe(z0);

  // A real mouse click on a supervoxel adds it.
  const first = await findCandidate(page);
  expect(first).not.toBeNull();
  await clickVoxel(page, first!);
  await expect(selected).toHaveText(String(seeds + 1));
  expect(await page.evaluate(() => window.__axonautGame!.selection())).toContain(first!.id);

  if (opts.tryExtraAndUndo) {
    const second = await findCandidate(page, [first!.id]);
    await clickVoxel(page, second!);
    await expect(selected).toHaveText(String(seeds + 2));
    await page.keyboard.press("Control+z");
    await expect(selected).toHaveText(String(seeds + 1));
    // Ctrl-click removes, and clicking again adds back.
    await clickVoxel(page, first!, ["Control"]);
    await expect(selected).toHaveText(String(seeds));
    await clickVoxel(page, first!);
    await expect(selected).toHaveText(String(seeds + 1));
  }
  if (opts.screenshot) await page.screenshot({ path: opts.screenshot });

  await page.getByTestId("submit").click();
  await expect(page.getByTestId("result")).toBeVisible();
  const points = Number((await page.getByTestId("points").textContent())!.replace(/[^0-9]/g, ""));
  expect(points).toBeGreaterThan(0);
  return { points, comparison: await page.getByTestId("comparison").textContent(), resultText: await page.getByTestId("result").textContent() };
}

test("health names the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.ok()).toBe(true);
  expect(await res.json()).toEqual({ status: "ok", database: expectedDb });
});

test("a too-short password gets a clear error and creates no account", async ({ request }) => {
  const res = await request.post("/api/trpc/auth.signUp", { data: { json: { username: "shorty", password: "short" } } });
  expect(res.status()).toBe(400);
  expect(JSON.stringify(await res.json())).toContain("at least 10 characters");
});

test("three players trace a cube and the neuron's skeleton downloads as valid SWC", async ({ browser }) => {
  // The SWC is skeletonized on request from the demo neuron's seed supervoxel (hundreds of thousands of
  // voxels): about a minute on a loaded 2-core CI machine, on top of three players' games.
  test.setTimeout(360_000);
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [ada, guest1, guest2] = await Promise.all(contexts.map((c) => c.newPage()));

  // Player 1 signs up with a username and password.
  await ada!.goto("/signup");
  await ada!.getByLabel("Username").fill("e2e-ada");
  await ada!.getByLabel("Password (at least 10 characters)").fill("lovelace1815");
  await ada!.getByLabel("Repeat password").fill("lovelace1815");
  await ada!.getByRole("button", { name: "Sign up" }).click();
  await expect(ada!).toHaveURL(/\/play$/);
  await expect(ada!.getByTestId("nav-username")).toHaveText("e2e-ada");
  const r1 = await playCube(ada!, { tryExtraAndUndo: true, screenshot: "test-results/game.png" });
  expect(r1.comparison).toContain("first on this cube");

  // Players 2 and 3 play as guests from the home page.
  for (const page of [guest1!, guest2!]) {
    await page.goto("/");
    await page.getByRole("button", { name: /play now as a guest/i }).click();
    await expect(page).toHaveURL(/\/play$/);
  }
  const r2 = await playCube(guest1!, { tryExtraAndUndo: false });
  expect(r2.comparison).toMatch(/Agreement with the other players: 100 %/);
  const r3 = await playCube(guest2!, { tryExtraAndUndo: false });
  expect(r3.resultText).toContain("This cube is complete");

  // The neuron page offers the skeleton; the download is valid SWC in µm.
  await guest2!.getByRole("link", { name: "See the neuron" }).click();
  await expect(guest2!.getByRole("heading", { level: 1 })).toBeVisible();
  const [download] = await Promise.all([guest2!.waitForEvent("download"), guest2!.getByTestId("download-swc").click()]);
  expect(download.suggestedFilename()).toMatch(/\.swc$/);
  const text = await readFile((await download.path())!, "utf8");
  const swc = parseSwc(text);
  expect(validateSwc(swc)).toEqual([]);
  expect(swc.nodes.length).toBeGreaterThan(3);
  expect(swc.nodes[0]!.parent).toBe(-1);
  for (const n of swc.nodes) {
    // The sample is 250 voxels of 10 nm: 2.5 µm on a side.
    for (const c of [n.x, n.y, n.z]) expect(c).toBeGreaterThanOrEqual(0), expect(c).toBeLessThanOrEqual(2.5);
  }
  expect(text).toContain("CC BY 3.0");
  await Promise.all(contexts.map((c) => c.close()));
});
