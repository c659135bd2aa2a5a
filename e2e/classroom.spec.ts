// The classroom journey in real Chromium: a teacher signs up and creates two classes, schedules a competition
// between them, two students join one class with its code (one by picture password with the mouse, one by
// PIN with the keyboard alone), each plays a cube, and then the class leaderboard shows both, the teacher's
// dashboard counts their cubes, and the competition's live board (never reloaded) ranks their class first.
// Every new page gets an axe-core check (WCAG 2.1 A/AA): no serious or critical violations.
import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, playOneCube, tabTo } from "./helpers";

const SHOTS = "test-results/classroom";
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

test("a teacher runs a class: join by code, play, class leaderboard, competition", async ({ browser }) => {
  test.setTimeout(420_000);
  const teacherCtx = await browser.newContext();
  const teacher = await teacherCtx.newPage();

  // The teacher signs up as a teacher.
  await teacher.goto("/signup?teacher=1");
  await teacher.getByLabel("Username").fill("e2e-teacher");
  await teacher.getByLabel("Password (at least 10 characters)").fill("frizzle-bus-1");
  await teacher.getByLabel("Repeat password").fill("frizzle-bus-1");
  await expect(teacher.getByLabel(/I am a teacher/)).toBeChecked();
  await teacher.getByRole("button", { name: "Sign up" }).click();
  await expect(teacher).toHaveURL(/\/teacher$/);
  await expect(teacher.getByRole("link", { name: "Teacher" })).toBeVisible();
  await expectAccessible(teacher, "/teacher (no classes)");

  // Two classes; the first one with the keyboard alone.
  const nameInput = teacher.getByLabel("Class name");
  await tabTo(teacher, nameInput);
  await teacher.keyboard.type("7B Science");
  await teacher.keyboard.press("Enter");
  await expect(teacher).toHaveURL(/\/teacher\/classes\/[0-9a-f-]{36}$/);
  const code = (await teacher.getByTestId("join-code").textContent())!.replace("-", "");
  expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{6}$/);
  await expect(teacher.getByTestId("join-qr").locator("svg")).toBeVisible();
  await expectAccessible(teacher, "class dashboard (empty)");
  await teacher.getByRole("link", { name: "Show on the projector" }).click();
  await expect(teacher.getByTestId("projector-code")).toHaveText(`${code.slice(0, 3)}-${code.slice(3)}`);
  await expectAccessible(teacher, "projector page");
  await shot(teacher, "projector");

  await teacher.goto("/teacher");
  await teacher.getByLabel("Class name").fill("7C Science");
  await teacher.getByRole("button", { name: "Create class" }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: "7C Science" })).toBeVisible();

  // A competition between the two classes, starting now.
  await teacher.goto("/teacher");
  await teacher.getByLabel("Name", { exact: true }).fill("Friday neuron cup");
  await teacher.getByRole("checkbox", { name: "7B Science" }).check();
  await teacher.getByRole("checkbox", { name: "7C Science" }).check();
  await expectAccessible(teacher, "/teacher (with classes)");
  await shot(teacher, "teacher-home");
  await teacher.getByRole("button", { name: "Schedule competition" }).click();
  await expect(teacher).toHaveURL(/\/competitions\/[0-9a-f-]{36}$/);
  const competitionUrl = teacher.url();
  await expect(teacher.getByTestId("competition-status")).toHaveText("Live now");
  const standings = teacher.getByTestId("standings");
  await expect(standings.locator("tbody tr")).toHaveCount(2);
  await expectAccessible(teacher, "competition (live)");
  // From here on the teacher's page is never reloaded: the board must update by itself.
  await teacher.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));

  // Student 1 scans the QR code (opens /join?code=…), picks a nickname and a picture password by mouse.
  const s1Ctx = await browser.newContext();
  const s1 = await s1Ctx.newPage();
  await s1.goto(`/join?code=${code}`);
  await expect(s1.getByText("Class: 7B Science")).toBeVisible();
  await expectAccessible(s1, "/join");
  await s1.getByLabel("Choose a nickname").fill("Axon Ava");
  for (const p of ["tree", "lightning", "tree"]) await s1.getByRole("button", { name: p, exact: true }).click();
  await expect(s1.getByTestId("pictures-picked")).toContainText("tree");
  await expectAccessible(s1, "/join with pictures picked");
  await shot(s1, "join");
  await s1.getByRole("button", { name: "Join and play" }).click();
  await expect(s1).toHaveURL(/\/play$/);
  await expect(s1.getByTestId("nav-username")).toHaveText("Axon Ava");

  // Student 2 does it with the keyboard alone, with a PIN.
  const s2Ctx = await browser.newContext();
  const s2 = await s2Ctx.newPage();
  await s2.goto("/join");
  await tabTo(s2, s2.getByLabel("Class code"));
  await s2.keyboard.type(`${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`);
  await expect(s2.getByText("Class: 7B Science")).toBeVisible();
  await s2.keyboard.press("Tab");
  await expect(s2.getByLabel("Choose a nickname")).toBeFocused();
  await s2.keyboard.type("Dendrite Dan");
  await tabTo(s2, s2.getByRole("radio", { name: "Picture password" }));
  await s2.keyboard.press("ArrowDown"); // radio group: to "PIN"
  await expect(s2.getByRole("radio", { name: "PIN (4 to 6 digits)" })).toBeChecked();
  await tabTo(s2, s2.getByLabel("Choose a PIN (4 to 6 digits)"));
  await s2.keyboard.type("4821");
  await s2.keyboard.press("Enter");
  await expect(s2).toHaveURL(/\/play$/);
  await expect(s2.getByTestId("nav-username")).toHaveText("Dendrite Dan");

  // Each plays a cube of the real volume.
  const p1 = await playOneCube(s1);
  // Beside the slice view, the 3D view shows the neuron (three.js where WebGL2 works, else a 2D canvas).
  const view1 = s1.getByTestId("neuron-3d");
  await expect.poll(async () => Number(await view1.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThan(0);
  test.info().annotations.push({ type: "3D renderer", description: (await view1.getAttribute("data-renderer")) ?? "" });
  await shot(s1, "play-3d");
  const p2 = await playOneCube(s2);
  expect(p1).toBeGreaterThan(0);
  expect(p2).toBeGreaterThan(0);

  // The class leaderboard shows both (to a student of the class).
  await s1.goto("/class");
  const board = s1.getByTestId("class-board");
  await expect(board.getByRole("rowheader", { name: /Axon Ava/ })).toBeVisible();
  await expect(board.getByRole("rowheader", { name: /Dendrite Dan/ })).toBeVisible();
  await expect(board.locator("tbody tr")).toHaveCount(2);
  await expect(board.getByRole("row", { name: /Axon Ava/ })).toContainText(String(p1));
  await expectAccessible(s1, "/class");
  await shot(s1, "class-board");

  // The competition's live board ranks 7B (2 active students) above 7C (nobody played), without a reload.
  const average = Math.round((p1 + p2) / 2);
  await expect(standings.locator("tbody tr").first()).toContainText("7B Science", { timeout: 20_000 });
  await expect(standings.locator("tbody tr").first()).toContainText(String(average));
  // Cells: rank, active students, points, average (the class name is the row header).
  const cells = (name: string) => standings.getByRole("row", { name: new RegExp(name) }).getByRole("cell");
  await expect(cells("7B Science")).toHaveText([/^1\b/, "2", String(p1 + p2), String(average)]);
  await expect(cells("7C Science")).toHaveText(["2", "0", "0", "0"]);
  expect(await teacher.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
  await shot(teacher, "competition-live");

  // A student sees the competition too; the public board shows classes, never nicknames.
  await s2.goto(competitionUrl);
  await expect(s2.getByTestId("standings")).toContainText("7B Science");
  await s2.goto("/leaderboard");
  await expect(s2.getByTestId("classes-board")).toContainText("7B Science");
  await expect(s2.locator("main")).not.toContainText("Axon Ava");
  await expect(s2.locator("main")).not.toContainText("Dendrite Dan");
  await expectAccessible(s2, "/leaderboard");
  await shot(s2, "leaderboard");

  // The teacher's dashboard: both students, one cube each, with plots.
  const dash = teacher;
  await dash.goto("/teacher");
  await dash.getByRole("link", { name: "7B Science" }).click();
  const students = dash.getByTestId("students");
  await expect(students.getByRole("row", { name: /Axon Ava/ })).toContainText(String(p1));
  await expect(students.getByRole("row", { name: /Dendrite Dan/ })).toContainText(String(p2));
  const plot = dash.getByRole("figure", { name: "Points per student (running total)" });
  await expect(plot.locator("svg circle")).not.toHaveCount(0);
  await expect(plot.getByRole("listitem")).toHaveText(["Axon Ava", "Dendrite Dan"]);
  await expectAccessible(dash, "class dashboard (with students)");
  await shot(dash, "dashboard");

  // Managing a student with the keyboard: a new PIN for Dendrite Dan, who then signs in with it.
  await tabTo(dash, dash.getByRole("button", { name: "New password for Dendrite Dan" }));
  await dash.keyboard.press("Enter");
  await expect(dash.getByRole("heading", { name: "New password for Dendrite Dan" })).toBeFocused();
  await dash.getByRole("radio", { name: "PIN (4 to 6 digits)" }).check();
  await dash.getByLabel("Choose a PIN (4 to 6 digits)").fill("97531");
  await expectAccessible(dash, "dashboard: new password form");
  await dash.getByRole("button", { name: "Save password" }).click();
  await expect(dash.getByRole("status")).toContainText("Dendrite Dan has a new PIN");
  const s3Ctx = await browser.newContext();
  const s3 = await s3Ctx.newPage();
  await s3.goto(`/join?code=${code}`);
  await s3.getByRole("button", { name: "I have joined before" }).click();
  await s3.getByLabel("Your nickname").fill("dendrite dan");
  await s3.getByRole("radio", { name: "PIN (4 to 6 digits)" }).check();
  await s3.getByLabel("Your PIN").fill("97531");
  await s3.getByRole("button", { name: "Sign in and play" }).click();
  await expect(s3).toHaveURL(/\/play$/);
  await expect(s3.getByTestId("nav-username")).toHaveText("Dendrite Dan");

  // The student's profile: level, achievements, history.
  await s1.goto("/profile");
  await expect(s1.getByRole("heading", { level: 1, name: "Axon Ava" })).toBeVisible();
  await expect(s1.getByTestId("profile-cubes")).toHaveText("1");
  await expect(s1.getByTestId("history").locator("tbody tr")).toHaveCount(1);
  await expectAccessible(s1, "/profile");
  await shot(s1, "profile");

  await Promise.all([teacherCtx, s1Ctx, s2Ctx, s3Ctx].map((c) => c.close()));
});

test("a Chromebook without WebGL and a tablet: canvas renderer, tap, slice slider, 3D view, tutorial", async ({ playwright }) => {
  test.setTimeout(300_000);
  const browser = await playwright.chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-webgl", "--disable-3d-apis", "--no-first-run", "--disable-background-networking"],
  });
  const ctx = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1024, height: 768 }, hasTouch: true });
  const page = await ctx.newPage();
  expect(await page.evaluate(() => Boolean(document.createElement("canvas").getContext("webgl")))).toBe(false);

  await page.goto("/tutorial");
  await page.getByRole("button", { name: /start the tutorial/i }).click();
  await page.waitForURL(/\/play$/);
  await page.goto("/tutorial");
  await page.waitForFunction(() => Boolean(window.__axonautGame), null, { timeout: 90_000 });
  await expect(page.getByTestId("submit")).toBeEnabled({ timeout: 90_000 });
  expect(await page.evaluate(() => window.__axonautGame!.renderer())).toBe("canvas");
  await expect(page.getByRole("heading", { name: /Tutorial: practice cube 1 of 2/ })).toBeVisible();

  // The slider moves through the slices (keyboard on the slider; a finger drags it the same way).
  const slider = page.getByTestId("slice-slider");
  const z0 = await page.evaluate(() => window.__axonautGame!.slice().z);
  await slider.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await expect.poll(() => page.evaluate(() => window.__axonautGame!.slice().z)).toBe(z0 + 3);
  await expect(page.getByTestId("coach").locator("li").first()).toContainText("(done)");

  // The 3D view draws the seed on the 2D canvas and turns with a drag.
  const view = page.getByTestId("neuron-3d");
  await expect(view).toHaveAttribute("data-renderer", "canvas");
  await expect.poll(async () => Number(await view.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThan(0);
  const yaw = async () => Number(await view.getAttribute("data-yaw"));
  const before = await yaw();
  // With the keyboard (arrow keys while it has the focus) …
  await view.locator("canvas").focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(yaw).toBeGreaterThan(before);
  // … and with a drag.
  const turned = await yaw();
  await view.scrollIntoViewIfNeeded();
  const box = (await view.locator("canvas").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(yaw).toBeGreaterThan(turned);
  const seedPoints = Number(await view.getAttribute("data-points"));

  // A tap selects a supervoxel; the 3D view grows with it.
  const selected = page.getByTestId("hud-selected");
  const n0 = Number(await selected.textContent());
  const { findCandidate } = await import("./helpers");
  const c = (await findCandidate(page))!;
  const p = await page.evaluate(({ x, y }) => window.__axonautGame!.voxelToClient(x, y), c);
  await page.touchscreen.tap(p.x, p.y);
  await expect(selected).toHaveText(String(n0 + 1));
  await expect.poll(async () => Number(await view.getAttribute("data-points"))).not.toBe(seedPoints);
  await expectAccessible(page, "/tutorial");
  await page.screenshot({ path: `${SHOTS}/tutorial-canvas.png` });

  // The practice cube is graded against its known answer, with a hint.
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("practice-score")).toContainText("You found");
  await expect(page.getByRole("button", { name: "Next practice cube" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/tutorial-feedback.png` });
  await browser.close();
});
