import { describe, expect, it } from "vitest";
import { createGameBus, type GameEvents } from "./event-bus";
import type { FromWorker, SplitOffer, SuggestRequest, ToWorker } from "./inference/protocol";
import { CUT_LABEL, SuggestionController } from "./suggestions";
import type { VolumeLoader } from "./volume-loader";

// The controller against a fake worker (messages recorded, answers injected) and a fake cube.
const size = { x: 4, y: 4, z: 6 };
const box = { x0: 100, y0: 200, z0: 50, x1: 104, y1: 204, z1: 56 };
const plane = size.x * size.y;

function setup(opts: { loaded?: (z: number) => boolean; radius?: number | null } = {}) {
  const sent: ToWorker[] = [];
  let listener: ((e: Event) => void) | null = null;
  let terminated = false;
  const worker = {
    postMessage: (m: ToWorker) => void sent.push(m),
    terminate: () => void (terminated = true),
    addEventListener: (type: string, l: (e: Event) => void) => {
      if (type === "message") listener = l;
    },
  };
  const reply = (msg: FromWorker) => listener!({ data: msg } as unknown as Event);
  const grey = new Uint8Array(plane * size.z);
  const labels = new Uint32Array(plane * size.z);
  for (let z = 0; z < size.z; z++) for (let i = 0; i < plane; i++) labels[z * plane + i] = i < 8 ? 1 : 2;
  const loaded = opts.loaded ?? (() => true);
  const loader = {
    grey,
    labels,
    greyReady: (zAbs: number) => loaded(zAbs - box.z0),
    labelsReady: (zAbs: number) => loaded(zAbs - box.z0),
  } as unknown as VolumeLoader;
  const bus = createGameBus();
  const events: { [K in keyof GameEvents]?: GameEvents[K][] } = {};
  for (const name of ["suggestions", "suggestionStatus", "splitsChanged", "error"] as const) {
    bus.on(name, (p) => ((events[name] ??= [] as never[]) as unknown[]).push(p));
  }
  const selected = new Set([1]);
  let redraws = 0;
  const ctl = new SuggestionController(
    { bus, loader, box, size, selected: () => selected, redraw: () => void redraws++ },
    { modelUrl: "/models/boundary.onnx", wasmPaths: "/ort/", ...(opts.radius === null ? {} : { radius: opts.radius ?? 1 }), createWorker: () => worker },
  );
  const requests = () => sent.filter((m): m is SuggestRequest => m.type === "suggest");
  return { ctl, sent, reply, events, selected, requests, redraws: () => redraws, terminated: () => terminated };
}

const offer = (over: Partial<SplitOffer> = {}): SplitOffer => {
  const dropMask = new Uint8Array(plane * 3);
  for (let k = 0; k < 3; k++) for (let i = 0; i < plane; i++) dropMask[k * plane + i] = i % 4 >= 2 && i < 8 ? 1 : 0;
  return { supervoxel: 1, zFrom: 1, zTo: 3, keep: { x: 0, y: 0, z: 2 }, drop: { x: 3, y: 0, z: 2 }, keepVoxels: 12, dropVoxels: 12, cutEvidence: 0.9, threshold: 0.5, dropMask, ...over };
};

describe("SuggestionController", () => {
  it("starts the worker with the cube and the self-hosted URLs, and forwards its status", () => {
    const t = setup();
    expect(t.sent[0]).toEqual({ type: "init", modelUrl: "/models/boundary.onnx", wasmPaths: "/ort/", width: 4, height: 4, depth: 6 });
    t.reply({ type: "status", state: "ready", backend: "wasm", loadMs: 5 });
    expect(t.events.suggestionStatus).toEqual([{ state: "ready", backend: "wasm" }]);
    t.reply({ type: "status", state: "unavailable", reason: "the suggestion model is missing" });
    expect(t.ctl.status).toEqual({ state: "unavailable", reason: "the suggestion model is missing" });
  });

  it("is off, with a reason, without a config", () => {
    const bus = createGameBus();
    const seen: unknown[] = [];
    bus.on("suggestionStatus", (s) => seen.push(s));
    const ctl = new SuggestionController({ bus, loader: {} as VolumeLoader, box, size, selected: () => new Set(), redraw: () => {} }, null);
    ctl.emitState();
    expect(seen).toEqual([{ state: "off", reason: "suggestions are turned off" }]);
    ctl.tick(2, 0); // no worker: nothing happens
  });

  it("sends each loaded slice of the window once (with the model's context), then a request", () => {
    const t = setup({ loaded: (z) => z !== 4 });
    t.ctl.tick(2, 1000);
    const slices = t.sent.filter((m) => m.type === "slices").flatMap((m) => (m.type === "slices" ? m.slices.map((s) => s.z) : []));
    expect(slices).toEqual([0, 1, 2, 3]); // window 1..3 plus one slice of context; 4 is not loaded
    expect(t.requests()).toHaveLength(1);
    expect(t.requests()[0]).toMatchObject({ z: 2, radius: 1, selected: [1], exclude: [], noSplit: [] });
    t.ctl.tick(2, 1001); // nothing new, nothing changed: no message
    expect(t.sent.filter((m) => m.type === "slices")).toHaveLength(1);
    expect(t.requests()).toHaveLength(1);
  });

  it("reports the newest answer only, and accept hands back the group (one step), dismiss excludes", () => {
    const t = setup();
    t.ctl.tick(2, 0);
    t.ctl.invalidate();
    t.ctl.tick(2, 1000); // second request (id 2)
    const items = [
      { supervoxel: 2, probability: 0.9, contact: 10, group: [2, 7], voxels: 40 },
      { supervoxel: 3, probability: 0.7, contact: 10, group: [3], voxels: 9 },
    ];
    t.reply({ type: "result", id: 1, zFrom: 1, zTo: 3, items: [items[1]!], split: null, inferred: 3, inferMs: 10 });
    expect(t.events.suggestions ?? []).toHaveLength(0);
    t.reply({ type: "result", id: 2, zFrom: 1, zTo: 3, items, split: null, inferred: 0, inferMs: 0 });
    expect(t.events.suggestions!.at(-1)!.items.map((i) => i.supervoxel)).toEqual([2, 3]);

    const view = t.ctl.overlay(2, new Uint32Array(plane));
    expect([...view.suggested].sort()).toEqual([2, 3, 7]);
    expect([...view.suggestedBest].sort()).toEqual([2, 7]);

    expect(t.ctl.accept()).toEqual([2, 7]);
    expect(t.ctl.snapshot().items.map((i) => i.supervoxel)).toEqual([3]);
    expect(t.ctl.dismiss()).toBe(true);
    expect(t.ctl.snapshot().items).toEqual([]);
    expect(t.ctl.accept()).toBeNull();
    expect(t.ctl.dismiss()).toBe(false);
    t.ctl.tick(2, 5000);
    expect(t.requests().at(-1)!.exclude).toEqual([3]);
  });

  it("acceptAt takes the index-th suggestion's whole group (keys 1–3); out of range takes nothing", () => {
    const t = setup();
    t.ctl.tick(2, 0);
    const items = [
      { supervoxel: 2, probability: 0.9, contact: 10, group: [2, 7], voxels: 40 },
      { supervoxel: 3, probability: 0.7, contact: 10, group: [3, 5, 6], voxels: 9 },
      { supervoxel: 4, probability: 0.6, contact: 10, group: [4], voxels: 9 },
    ];
    t.reply({ type: "result", id: 1, zFrom: 1, zTo: 3, items, split: null, inferred: 0, inferMs: 0 });
    const version = t.ctl.itemsVersion;
    expect(t.ctl.groups()).toEqual([[2, 7], [3, 5, 6], [4]]);
    expect(t.ctl.acceptAt(1)).toEqual([3, 5, 6]);
    expect(t.ctl.itemsVersion).not.toBe(version); // the scene re-places the badges
    expect(t.ctl.snapshot().items.map((i) => i.supervoxel)).toEqual([2, 4]);
    expect(t.events.suggestions!.at(-1)!.items.map((i) => i.supervoxel)).toEqual([2, 4]);
    expect(t.ctl.acceptAt(2)).toBeNull();
    expect(t.ctl.acceptAt(-1)).toBeNull();
    expect(t.ctl.snapshot().items).toHaveLength(2);
  });

  it("reads ±24 slices by default", () => {
    const t = setup({ radius: null });
    t.ctl.tick(10, 0);
    expect(t.requests()[0]).toMatchObject({ radius: 24 });
  });

  it("drops answers about supervoxels the player selected meanwhile", () => {
    const t = setup();
    t.ctl.tick(2, 0);
    t.selected.add(2);
    t.reply({ type: "result", id: 1, zFrom: 1, zTo: 3, items: [{ supervoxel: 2, probability: 0.9, contact: 5, group: [2], voxels: 4 }], split: null, inferred: 0, inferMs: 0 });
    expect(t.ctl.snapshot().items).toEqual([]);
  });

  it("a taken split offer becomes a TraceSplit in absolute voxels; it goes when its supervoxel leaves the selection", () => {
    const t = setup();
    t.ctl.tick(2, 0);
    t.reply({ type: "result", id: 1, zFrom: 1, zTo: 3, items: [], split: offer(), inferred: 0, inferMs: 0 });
    expect(t.events.suggestions!.at(-1)!.split).toEqual({ supervoxel: 1, keepVoxels: 12, dropVoxels: 12, cutEvidence: 0.9 });

    // While offered, the side cut off is drawn with its own label (marked as cut) on slices 1..3.
    const labels = t.ctl.overlay(2, new Uint32Array(plane).fill(1));
    expect(labels.labels![2]).toBe((CUT_LABEL | 1) >>> 0);
    expect(labels.labels![0]).toBe(1);
    expect([...labels.cut]).toEqual([(CUT_LABEL | 1) >>> 0]);
    expect(t.ctl.overlay(4, new Uint32Array(plane).fill(1)).labels![2]).toBe(1);

    expect(t.ctl.acceptSplit()).toBe(true);
    const splits = t.ctl.splits();
    expect(splits).toEqual([{ supervoxel: 1, zFrom: 51, zTo: 53, keep: { x: 100, y: 200, z: 52 }, drop: { x: 103, y: 200, z: 52 }, threshold: 0.5, keepVoxels: 12, dropVoxels: 12 }]);
    expect(t.events.splitsChanged!.at(-1)!.splits).toEqual(splits);
    // Taken: still drawn apart (not marked as an offer), and never offered again.
    const after = t.ctl.overlay(2, new Uint32Array(plane).fill(1));
    expect(after.labels![2]).toBe((CUT_LABEL | 1) >>> 0);
    expect(after.cut.size).toBe(0);
    t.ctl.tick(2, 5000);
    expect(t.requests().at(-1)!.noSplit).toEqual([1]);

    t.selected.delete(1);
    t.ctl.selectionChanged();
    expect(t.ctl.splits()).toEqual([]);
    expect(t.events.splitsChanged!.at(-1)!.splits).toEqual([]);
  });

  it("keeping a supervoxel whole dismisses its offer for good", () => {
    const t = setup();
    t.ctl.tick(2, 0);
    t.reply({ type: "result", id: 1, zFrom: 1, zTo: 3, items: [], split: offer(), inferred: 0, inferMs: 0 });
    expect(t.ctl.dismissSplit()).toBe(true);
    expect(t.ctl.snapshot().split).toBeNull();
    expect(t.ctl.acceptSplit()).toBe(false);
    t.ctl.tick(2, 5000);
    expect(t.requests().at(-1)!.noSplit).toEqual([1]);
    // The worker may still answer with it (an older request): not offered.
    t.reply({ type: "result", id: 2, zFrom: 1, zTo: 3, items: [], split: offer(), inferred: 0, inferMs: 0 });
    expect(t.ctl.snapshot().split).toBeNull();
  });

  it("when the model turns out unusable, the suggestions go and the reason is told", () => {
    const t = setup();
    t.ctl.tick(2, 0);
    t.reply({ type: "result", id: 1, zFrom: 1, zTo: 3, items: [{ supervoxel: 2, probability: 0.9, contact: 5, group: [2], voxels: 4 }], split: null, inferred: 0, inferMs: 0 });
    t.reply({ type: "status", state: "unavailable", reason: "the suggestion model is corrupt or unreadable (bad protobuf)" });
    expect(t.ctl.snapshot().items).toEqual([]);
    expect(t.events.suggestions!.at(-1)!.items).toEqual([]);
    const before = t.sent.length;
    t.ctl.tick(2, 9000);
    expect(t.sent.length).toBe(before); // no more work for a dead worker
  });

  it("destroy stops the worker", () => {
    const t = setup();
    t.ctl.destroy();
    expect(t.terminated()).toBe(true);
    expect(t.sent.at(-1)).toEqual({ type: "dispose" });
  });
});
