// Suggestions in real Chromium: the boundary model runs in a Web Worker (onnxruntime-web, wasm served
// from /ort/), the game highlights the best continuations, Space accepts one and the selection grows.
// Without a usable model the game keeps working and the HUD says why.
import { expect, test, type Page } from "@playwright/test";
import { identityModel } from "../game/inference/onnx-fixture.testutil";

async function playAsGuest(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: /play now as a guest/i }).click();
  await expect(page).toHaveURL(/\/play$/);
  await page.waitForFunction(() => Boolean(window.__axonautGame), null, { timeout: 90_000 });
  await expect(page.getByTestId("submit")).toBeEnabled({ timeout: 90_000 });
}

const suggestions = (page: Page) => page.evaluate(() => window.__axonautGame!.suggestions());

/**
 * Wait for suggestions around the current slice; where the model sees none (the seed may border only
 * other cells there: no suggestion is then the right answer), move through the cube and look again,
 * and after that try the next cube.
 */
async function findSuggestions(page: Page, opts: { cubes?: number; atLeast?: number } = {}) {
  const cubes = opts.cubes ?? 1;
  const atLeast = opts.atLeast ?? 1;
  for (let cube = 0; cube < cubes; cube++) {
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        await expect.poll(async () => (await suggestions(page)).items.length, { timeout: attempt === 0 ? 30_000 : 8_000 }).toBeGreaterThanOrEqual(atLeast);
        return;
      } catch {
        const key = attempt % 2 === 0 ? "s" : "w";
        for (let i = 0; i < 12 * (attempt + 1); i++) await page.keyboard.press(key);
      }
    }
    if (cube + 1 === cubes) break;
    await page.getByTestId("submit").click();
    await page.getByRole("button", { name: "Next cube" }).click();
    await page.waitForFunction(() => Boolean(window.__axonautGame), null, { timeout: 90_000 });
    await expect(page.getByTestId("submit")).toBeEnabled({ timeout: 90_000 });
  }
  throw new Error(`not ${atLeast} suggestion(s) anywhere in ${cubes} cube(s)`);
}

/**
 * The suggestions once the worker's answers settle (the same list twice, 1.5 s apart): while the window
 * around the slice fills, each answer may reorder the list, and a key must take what the test read.
 */
async function settledSuggestions(page: Page, atLeast: number) {
  let state = await suggestions(page);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(1500);
    const next = await suggestions(page);
    const same = JSON.stringify(next.items) === JSON.stringify(state.items);
    state = next;
    if (same && state.items.length >= atLeast) break;
  }
  return state;
}

test("the game shows suggestions from the model, and Space accepts the best one", async ({ page }) => {
  const workerUrls: string[] = [];
  page.on("worker", (w) => workerUrls.push(w.url()));
  const ortRequests: string[] = [];
  page.on("request", (r) => {
    if (/\/ort\/|\/models\//.test(r.url())) ortRequests.push(new URL(r.url()).pathname);
  });

  test.setTimeout(480_000);
  await playAsGuest(page);
  await expect(page.getByTestId("suggestion-state")).toHaveAttribute("data-state", "ready", { timeout: 90_000 });
  await findSuggestions(page, { cubes: 3 });

  // The model ran in a worker, on the self-hosted runtime and model.
  expect(workerUrls.length).toBeGreaterThan(0);
  expect(ortRequests).toContain("/models/boundary.onnx");
  expect(ortRequests.some((p) => /^\/ort\/ort-wasm-simd-threaded\.wasm$/.test(p))).toBe(true);

  // The suggested supervoxels are drawn in amber: find an interior voxel of one on the current slice
  // (or go to the slice where the best suggestion shows most) and look at its pixel.
  type Spot = { x: number; y: number; z: number; n: number };
  const spotOf = (ids: number[], onlyZ: number | null) =>
    page.evaluate(
      ({ ids, onlyZ }) => {
        const g = window.__axonautGame!;
        const size = g.cubeSize();
        const want = new Set(ids);
        const inside = (x: number, y: number, z: number) => {
          const id = g.supervoxelAt(x, y, z);
          return id !== null && want.has(id) && [g.supervoxelAt(x + 1, y, z), g.supervoxelAt(x - 1, y, z), g.supervoxelAt(x, y + 1, z), g.supervoxelAt(x, y - 1, z)].every((n) => n === id);
        };
        let best: Spot | null = null;
        for (let z = onlyZ ?? 0; z < (onlyZ === null ? size.z : onlyZ + 1); z++) {
          let sx = 0, sy = 0, n = 0;
          for (let y = 1; y < size.y - 1; y++) for (let x = 1; x < size.x - 1; x++) if (inside(x, y, z)) (sx += x), (sy += y), n++;
          if (n === 0 || (best && n <= best.n)) continue;
          let pick = { x: 0, y: 0, d: Infinity };
          for (let y = 1; y < size.y - 1; y++) for (let x = 1; x < size.x - 1; x++) {
            const d = (x - sx / n) ** 2 + (y - sy / n) ** 2;
            if (d < pick.d && inside(x, y, z)) pick = { x, y, d };
          }
          best = { x: pick.x, y: pick.y, z, n };
        }
        return best;
      },
      { ids, onlyZ },
    );
  let spot: Spot | null = null;
  for (let attempt = 0; attempt < 4 && !spot; attempt++) {
    const items = (await suggestions(page)).items;
    const here = await page.evaluate(() => window.__axonautGame!.slice().local);
    spot = await spotOf(items.flatMap((i) => i.group), here);
    if (spot) break;
    const there = await spotOf(items[0]!.group, null);
    expect(there).not.toBeNull();
    const steps = there!.z - here;
    for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? "s" : "w");
    await expect.poll(() => page.evaluate(() => window.__axonautGame!.slice().local)).toBe(there!.z);
    await findSuggestions(page);
    await page.waitForTimeout(1500); // the worker's answer for this slice
  }
  expect(spot).not.toBeNull();
  await page.mouse.move(5, 5); // no hover tint over the game
  const p = await page.evaluate(({ x, y }) => window.__axonautGame!.voxelToClient(x, y), spot!);
  await page.waitForTimeout(300); // one frame to redraw
  const shot = await page.screenshot({ clip: { x: p.x - 1, y: p.y - 1, width: 3, height: 3 } });
  const amber = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(1, 1, 1, 1).data;
    return { r: d[0]!, g: d[1]!, b: d[2]! };
  }, shot.toString("base64"));
  // Amber tint: red and green well above blue (the EM image itself is grey).
  expect(amber.r - amber.b).toBeGreaterThan(30);
  expect(amber.g - amber.b).toBeGreaterThan(15);
  await page.screenshot({ path: "test-results/suggestions.png" });

  // The best suggestion now: a neighbour of the selection, with its probability and group.
  const state = await settledSuggestions(page, 1);
  expect(state.status).toMatchObject({ state: "ready" });
  const best = state.items[0]!;
  expect(best.probability).toBeGreaterThanOrEqual(0.5);
  expect(best.group[0]).toBe(best.supervoxel);
  const before = await page.evaluate(() => window.__axonautGame!.selection());
  for (const id of best.group) expect(before).not.toContain(id);
  await expect(page.getByTestId("suggestion-best")).toBeVisible();

  // Space accepts: the best suggestion's group joins the selection, the HUD follows.
  const selected = page.getByTestId("hud-selected");
  const countBefore = Number(await selected.textContent());
  await page.keyboard.press("Space");
  await expect.poll(() => page.evaluate(() => window.__axonautGame!.selection().length)).toBe(before.length + best.group.length);
  const after = await page.evaluate(() => window.__axonautGame!.selection());
  for (const id of best.group) expect(after).toContain(id);
  await expect(selected).toHaveText(String(countBefore + best.group.length));

  // Ctrl+Z takes the whole accepted group back in one step.
  await page.keyboard.press("Control+z");
  await expect(selected).toHaveText(String(countBefore));

  // X dismisses the best suggestion: it is not offered again.
  await expect.poll(async () => (await suggestions(page)).items.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const dismissed = (await suggestions(page)).items[0]!.supervoxel;
  await page.keyboard.press("x");
  await expect.poll(async () => (await suggestions(page)).items.map((i) => i.supervoxel)).not.toContain(dismissed);
  await page.waitForTimeout(1500); // the worker answers again: still not there
  expect((await suggestions(page)).items.map((i) => i.supervoxel)).not.toContain(dismissed);
  await expect(selected).toHaveText(String(countBefore));
});

test("with several suggestions shown, key 2 accepts exactly the second one's group", async ({ page }) => {
  test.setTimeout(480_000);
  await playAsGuest(page);
  await expect(page.getByTestId("suggestion-state")).toHaveAttribute("data-state", "ready", { timeout: 90_000 });
  await expect.poll(() => page.evaluate(() => {
    const p = window.__axonautGame!.progress();
    return p.loaded >= p.total;
  }), { timeout: 120_000 }).toBe(true); // the whole cube is in: no new data reorders the list under us
  await findSuggestions(page, { cubes: 3, atLeast: 2 });

  const state = await settledSuggestions(page, 2);
  expect(state.items.length).toBeGreaterThanOrEqual(2);
  const second = state.items[1]!;

  // The HUD lists each suggestion with its number and key; the slice numbers them where they show.
  await expect(page.getByTestId("suggestion-item-1")).toContainText("1.");
  await expect(page.getByTestId("suggestion-item-2")).toContainText(`${second.group.length === 1 ? "1 supervoxel" : `${second.group.length} supervoxels`}`);
  await expect(page.getByTestId("suggestion-accept-2")).toHaveAccessibleName(/Accept 2/);
  await expect(page.getByRole("list", { name: /suggested continuations/i }).getByRole("listitem")).toHaveCount(Math.min(3, state.items.length));
  const z = await page.evaluate(() => window.__axonautGame!.slice().local);
  const badges = await page.evaluate(() => window.__axonautGame!.badges());
  for (const [k, b] of badges.entries()) {
    if (!b) continue; // that group has no voxel on this slice
    const id = await page.evaluate(({ x, y, z }) => window.__axonautGame!.supervoxelAt(Math.floor(x), Math.floor(y), z), { ...b, z });
    expect(state.items[k]!.group).toContain(id);
  }
  await page.screenshot({ path: "test-results/suggestion-badges.png" });

  const before = await page.evaluate(() => window.__axonautGame!.selection());
  for (const id of second.group) expect(before).not.toContain(id);
  await page.keyboard.press("2");
  const expected = [...new Set([...before, ...second.group])].sort((a, b) => a - b);
  await expect.poll(() => page.evaluate(() => window.__axonautGame!.selection())).toEqual(expected);
  // The first suggestion was not taken.
  const after = await page.evaluate(() => window.__axonautGame!.selection());
  for (const id of state.items[0]!.group) if (!second.group.includes(id)) expect(after).not.toContain(id);

  // One undo step takes the whole group back.
  await page.keyboard.press("Control+z");
  await expect.poll(() => page.evaluate(() => window.__axonautGame!.selection())).toEqual(before);
});

for (const [name, body, reason] of [
  ["missing", null, /model is missing .*404/],
  ["corrupt", Buffer.from("this is not an ONNX model, just some bytes"), /corrupt or unreadable/],
  // A valid ONNX model whose input has one channel instead of the contract's three.
  ["ill-fitting", Buffer.from(identityModel({ name: "input", dims: ["N", 1, "H", "W"] }, { name: "boundary", dims: ["N", 1, "H", "W"] })), /input shape \[N, 1, H, W\] does not fit/],
] as const) {
  test(`${name} model: the game works without suggestions and says why`, async ({ page }) => {
    await page.context().route("**/models/boundary.onnx", (route) =>
      body ? route.fulfill({ status: 200, contentType: "application/octet-stream", body }) : route.fulfill({ status: 404, body: "not found" }),
    );
    await playAsGuest(page);
    await expect(page.getByTestId("suggestion-state")).toHaveAttribute("data-state", "unavailable", { timeout: 60_000 });
    await expect(page.getByTestId("suggestion-reason")).toContainText(reason);
    expect((await suggestions(page)).items).toEqual([]);

    // Tracing still works: click a supervoxel next to the middle and the selection grows.
    const selected = page.getByTestId("hud-selected");
    const n = Number(await selected.textContent());
    const id = await page.evaluate(() => {
      const g = window.__axonautGame!;
      const s = g.cubeSize();
      const z = g.slice().local;
      const taken = new Set(g.selection());
      for (let r = 1; r < 40; r++) for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
        const x = (s.x >> 1) + dx, y = (s.y >> 1) + dy;
        const v = g.supervoxelAt(x, y, z);
        if (v && !taken.has(v)) return g.clickVoxel(x, y);
      }
      return null;
    });
    expect(id).not.toBeNull();
    await expect(selected).toHaveText(String(n + 1));
  });
}

// The worker reads the game's whole window (±RADIUS slices) around the slice in view; how long the first
// answers take is printed (not asserted: timings belong in benchmarks), so a change of radius can be judged.
const RADIUS = 24; // game/suggestions.ts DEFAULT_RADIUS
test(`the worker answers over the game's ±${RADIUS}-slice window, and the time of the first answers is printed`, async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => {
    type W = { zFrom: number; zTo: number; inferred: number; inferMs: number };
    const log: { at: number; window: W; items: number }[] = [];
    let readyAt: number | null = null;
    let last: W | null = null;
    (window as unknown as { __answers: unknown }).__answers = { log, readyAt: () => readyAt };
    const timer = setInterval(() => {
      const s = window.__axonautGame?.suggestions();
      if (!s) return;
      if (readyAt === null && s.status.state === "ready") readyAt = performance.now();
      const w = s.window;
      if (w && (!last || w.zFrom !== last.zFrom || w.zTo !== last.zTo || w.inferred !== last.inferred || w.inferMs !== last.inferMs)) {
        log.push({ at: Math.round(performance.now()), window: w, items: s.items.length });
        last = w;
      }
      if (log.length >= 40) clearInterval(timer);
    }, 20);
  });
  await playAsGuest(page);
  await expect(page.getByTestId("suggestion-state")).toHaveAttribute("data-state", "ready", { timeout: 90_000 });
  const { local, size } = await page.evaluate(() => ({ local: window.__axonautGame!.slice().local, size: window.__axonautGame!.cubeSize().z }));
  const span = Math.min(size - 1, local + RADIUS) - Math.max(0, local - RADIUS) + 1;
  expect(span).toBeGreaterThan(17); // the cube is deep enough to tell the radius from the earlier ±8
  await expect
    .poll(() => page.evaluate(() => { const w = window.__axonautGame!.suggestions().window; return w ? w.zTo - w.zFrom + 1 : 0; }), { timeout: 60_000 })
    .toBe(span);
  const answers = await page.evaluate(() => {
    const a = (window as unknown as { __answers: { log: unknown[]; readyAt: () => number | null } }).__answers;
    return { readyAt: a.readyAt(), log: a.log };
  });
  console.log(`[suggestion timing] model ready at ${Math.round(answers.readyAt ?? NaN)} ms after load; answers: ${JSON.stringify(answers.log)}`);
});
