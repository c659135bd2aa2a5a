import { describe, expect, it } from "vitest";
import { MAX_ZOOM, fitView, panBy, screenToWorld, worldToScreen, zoomAt } from "./view";

const vp = { width: 800, height: 600 };
const size = { x: 128, y: 128 };

describe("view", () => {
  it("fits the cube in the viewport, centred", () => {
    const v = fitView(vp, size);
    expect(v.zoom).toBeCloseTo((600 / 128) * 0.94);
    const tl = worldToScreen(v, vp, 0, 0);
    const br = worldToScreen(v, vp, 128, 128);
    expect((tl.x + br.x) / 2).toBeCloseTo(400);
    expect((tl.y + br.y) / 2).toBeCloseTo(300);
    expect(br.y - tl.y).toBeCloseTo(600 * 0.94);
  });

  it("screenToWorld inverts worldToScreen", () => {
    const v = { zoom: 3.3, cx: 40, cy: 70 };
    const s = worldToScreen(v, vp, 12.5, 99);
    const w = screenToWorld(v, vp, s.x, s.y);
    expect(w.x).toBeCloseTo(12.5);
    expect(w.y).toBeCloseTo(99);
  });

  it("zooms around the pointer and respects the limits", () => {
    const v = fitView(vp, size);
    const before = screenToWorld(v, vp, 600, 150);
    const z = zoomAt(v, vp, size, 2, 600, 150);
    expect(z.zoom).toBeCloseTo(v.zoom * 2);
    const after = screenToWorld(z, vp, 600, 150);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    expect(zoomAt(v, vp, size, 1000, 0, 0).zoom).toBe(MAX_ZOOM);
    expect(zoomAt(v, vp, size, 0.001, 0, 0).zoom).toBeCloseTo(v.zoom * 0.5 / 1);
  });

  it("pans with the drag and never loses the cube", () => {
    const v = { zoom: 4, cx: 64, cy: 64 };
    const p = panBy(v, size, 40, -20);
    expect(p.cx).toBeCloseTo(54);
    expect(p.cy).toBeCloseTo(69);
    const far = panBy(v, size, 1e6, -1e6);
    expect(far.cx).toBe(0);
    expect(far.cy).toBe(128);
  });
});
