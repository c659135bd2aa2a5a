/**
 * Suggestions in the game: feeds the suggestion worker (game/inference) with the cube's slices around
 * the current one, asks it again whenever the selection, the slice or the data change, and keeps
 * what the player does with the answers: accepted suggestions become selection changes (through the
 * game), dismissed ones are never suggested again, an accepted split offer becomes a TraceSplit that
 * is submitted with the trace (core/trace-splits.ts). Plain module: no Phaser.
 *
 * Drawing: `overlay(z)` gives renderSlice the suggested supervoxels (the best suggestion's group
 * stronger) and, where a split applies on that slice, a copy of the label slice in which the side cut
 * off carries a synthetic label (CUT_LABEL | id): drawn as "would be cut off" while offered, and as
 * not selected once accepted (so the selection outline follows the cut). `groups()` and `itemsVersion`
 * let the scene number the highlighted suggestions (keys 1–3, `acceptAt`) without polling every frame.
 */
import type { TraceSplit } from "@/core/trace-splits";
import type { Box, Vec3 } from "@/core/volume";
import type { GameBus, SuggestionStatusEvent } from "./event-bus";
import type { SplitOffer, SuggestionItem, SuggestResult } from "./inference/protocol";
import { SuggestClient, type SuggestClientOptions } from "./inference/suggest-client";
import type { VolumeLoader } from "./volume-loader";

export type SuggestionConfig = {
  /** URL of the boundary model ("/models/boundary.onnx"). */
  modelUrl: string;
  /** Where onnxruntime-web's wasm files are served ("/ort/"). */
  wasmPaths: string;
  /**
   * Slices either side of the current one that the model reads for suggestions (default 24: more
   * context ranks better, see game/inference/README.md; the nearest slices are read first).
   */
  radius?: number;
  /** Injected for tests. */
  createWorker?: SuggestClientOptions["createWorker"];
};

/** High bit: a synthetic label for the cut-off side of a split (real ids stay below 2^31). */
export const CUT_LABEL = 0x80000000;
const REQUEST_GAP_MS = 80;
export const DEFAULT_RADIUS = 24;

type Host = {
  bus: GameBus;
  loader: VolumeLoader;
  box: Box;
  size: Vec3;
  selected(): ReadonlySet<number>;
  redraw(): void;
};

export class SuggestionController {
  private readonly client: SuggestClient | null = null;
  private readonly radius: number;
  private items: SuggestionItem[] = [];
  /** Bumped whenever `items` changes: the scene re-places the number badges only then. */
  private itemsVersion_ = 0;
  private offer: SplitOffer | null = null;
  private readonly dismissed = new Set<number>();
  private readonly noSplit = new Set<number>();
  private accepted: { split: TraceSplit; offer: SplitOffer }[] = [];
  private dirty = true;
  private lastRequestAt = -Infinity;
  private statusEvent: SuggestionStatusEvent;
  private lastResult: { zFrom: number; zTo: number; inferred: number; inferMs: number } | null = null;

  constructor(
    private readonly host: Host,
    config: SuggestionConfig | null,
  ) {
    this.radius = Math.max(0, Math.floor(config?.radius ?? DEFAULT_RADIUS));
    if (!config) {
      this.statusEvent = { state: "off", reason: "suggestions are turned off" };
      return;
    }
    if (typeof Worker === "undefined" && !config.createWorker) {
      this.statusEvent = { state: "unavailable", reason: "this browser has no Web Workers" };
      return;
    }
    this.statusEvent = { state: "loading" };
    this.client = new SuggestClient({
      width: host.size.x,
      height: host.size.y,
      depth: host.size.z,
      modelUrl: config.modelUrl,
      wasmPaths: config.wasmPaths,
      ...(config.createWorker ? { createWorker: config.createWorker } : {}),
      onStatus: (s) => {
        this.statusEvent =
          s.state === "ready"
            ? { state: "ready", backend: s.backend }
            : s.state === "loading"
              ? { state: "loading" }
              : { state: "unavailable", reason: s.reason };
        if (s.state === "unavailable") {
          this.items = [];
          this.offer = null;
          this.emitSuggestions();
          host.redraw();
        }
        this.dirty = true;
        host.bus.emit("suggestionStatus", this.statusEvent);
      },
      onResult: (r) => this.onResult(r),
      onError: (message) => host.bus.emit("error", { message }),
    });
  }

  /** Emit the current state (when the scene starts: the host subscribed after createGame returned). */
  emitState(): void {
    this.host.bus.emit("suggestionStatus", this.statusEvent);
    this.emitSuggestions();
    this.host.bus.emit("splitsChanged", { splits: this.splits() });
  }

  /** Changes whenever the suggestions shown change (cheap to compare every frame). */
  get itemsVersion(): number {
    return this.itemsVersion_;
  }

  /** The groups of the suggestions shown, best first (for the number badges). */
  groups(): number[][] {
    return this.items.map((it) => it.group.slice());
  }

  get status(): SuggestionStatusEvent {
    return this.statusEvent;
  }

  /** Something the suggestions depend on changed (slice, data): ask again soon. */
  invalidate(): void {
    this.dirty = true;
  }

  /** The selection changed: stale suggestions go at once, splits of deselected supervoxels too. */
  selectionChanged(): void {
    const sel = this.host.selected();
    const before = this.accepted.length;
    this.accepted = this.accepted.filter((a) => sel.has(a.split.supervoxel));
    if (this.accepted.length !== before) this.host.bus.emit("splitsChanged", { splits: this.splits() });
    this.items = this.items.filter((it) => !sel.has(it.supervoxel));
    if (this.offer && !sel.has(this.offer.supervoxel)) this.offer = null;
    this.emitSuggestions();
    this.dirty = true;
  }

  /** Once per frame: send newly complete slices near z, and a request when something changed. */
  tick(zLocal: number, now: number): void {
    const client = this.client;
    if (!client?.usable) return;
    const { loader, box, size } = this.host;
    const plane = size.x * size.y;
    const lo = Math.max(0, zLocal - this.radius - 1);
    const hi = Math.min(size.z - 1, zLocal + this.radius + 1);
    const batch = [];
    for (let z = lo; z <= hi; z++) {
      if (client.hasSlice(z)) continue;
      const zAbs = box.z0 + z;
      if (!loader.greyReady(zAbs) || !loader.labelsReady(zAbs)) continue;
      batch.push({ z, grey: loader.grey.subarray(z * plane, (z + 1) * plane), labels: loader.labels.subarray(z * plane, (z + 1) * plane) });
    }
    if (batch.length > 0) {
      client.sendSlices(batch);
      this.dirty = true;
    }
    if (!this.dirty || now - this.lastRequestAt < REQUEST_GAP_MS) return;
    this.dirty = false;
    this.lastRequestAt = now;
    client.request({
      z: zLocal,
      radius: this.radius,
      selected: [...this.host.selected()],
      exclude: [...this.dismissed],
      noSplit: [...this.noSplit, ...this.accepted.map((a) => a.split.supervoxel)],
    });
  }

  /** The suggestion to accept (the best, or the one named): returns the supervoxels to add. */
  accept(supervoxel?: number): number[] | null {
    return this.acceptAt(supervoxel === undefined ? 0 : this.items.findIndex((it) => it.supervoxel === supervoxel));
  }

  /** Accept the index-th highlighted suggestion (0 = best; keys 1–3): its group, or null when none. */
  acceptAt(index: number): number[] | null {
    const item = index >= 0 ? this.items[index] : undefined;
    if (!item) return null;
    this.items.splice(index, 1);
    this.emitSuggestions();
    this.dirty = true;
    this.host.redraw();
    return item.group.slice();
  }

  /** Dismiss the best suggestion (or the one named): it is never suggested again in this cube. */
  dismiss(supervoxel?: number): boolean {
    const i = supervoxel === undefined ? 0 : this.items.findIndex((it) => it.supervoxel === supervoxel);
    const item = this.items[i];
    if (i < 0 || !item) return false;
    this.items.splice(i, 1);
    this.dismissed.add(item.supervoxel);
    this.emitSuggestions();
    this.dirty = true;
    this.host.redraw();
    return true;
  }

  /** Take the split offer: it becomes part of the trace. */
  acceptSplit(): boolean {
    const offer = this.offer;
    if (!offer || !this.host.selected().has(offer.supervoxel)) return false;
    const { box } = this.host;
    const abs = (p: Vec3) => ({ x: p.x + box.x0, y: p.y + box.y0, z: p.z + box.z0 });
    const split: TraceSplit = {
      supervoxel: offer.supervoxel,
      zFrom: offer.zFrom + box.z0,
      zTo: offer.zTo + box.z0,
      keep: abs(offer.keep),
      drop: abs(offer.drop),
      threshold: offer.threshold,
      keepVoxels: offer.keepVoxels,
      dropVoxels: offer.dropVoxels,
    };
    this.accepted.push({ split, offer });
    this.offer = null;
    this.emitSuggestions();
    this.host.bus.emit("splitsChanged", { splits: this.splits() });
    this.dirty = true;
    this.host.redraw();
    return true;
  }

  /** Keep the supervoxel whole: no split offer for it again. */
  dismissSplit(): boolean {
    if (!this.offer) return false;
    this.noSplit.add(this.offer.supervoxel);
    this.offer = null;
    this.emitSuggestions();
    this.dirty = true;
    this.host.redraw();
    return true;
  }

  splits(): TraceSplit[] {
    return this.accepted.map((a) => ({ ...a.split, keep: { ...a.split.keep }, drop: { ...a.split.drop } }));
  }

  /** For test hooks and the HUD. */
  snapshot() {
    return {
      status: this.statusEvent,
      items: this.items.map((it) => ({ ...it, group: it.group.slice() })),
      split: this.offer ? splitInfo(this.offer) : null,
      splits: this.splits(),
      window: this.lastResult,
    };
  }

  /** What renderSlice needs for cube-local slice z, given that slice's labels. */
  overlay(zLocal: number, labels: Uint32Array | null): { labels: Uint32Array | null; suggested: Set<number>; suggestedBest: Set<number>; cut: Set<number> } {
    const suggested = new Set<number>();
    for (const it of this.items) for (const id of it.group) suggested.add(id);
    const suggestedBest = new Set(this.items[0]?.group ?? []);
    const cut = new Set<number>();
    let out = labels;
    const plane = this.host.size.x * this.host.size.y;
    const apply = (offer: SplitOffer, mark: boolean) => {
      if (!labels || zLocal < offer.zFrom || zLocal > offer.zTo) return;
      const mask = offer.dropMask.subarray((zLocal - offer.zFrom) * plane, (zLocal - offer.zFrom + 1) * plane);
      const synthetic = (CUT_LABEL | offer.supervoxel) >>> 0;
      for (let i = 0; i < plane; i++) {
        if (mask[i] !== 1 || labels[i] !== offer.supervoxel) continue;
        if (out === labels) out = labels.slice();
        out![i] = synthetic;
      }
      if (mark) cut.add(synthetic);
    };
    for (const a of this.accepted) apply(a.offer, false);
    if (this.offer) apply(this.offer, true);
    return { labels: out, suggested, suggestedBest, cut };
  }

  destroy(): void {
    this.client?.destroy();
  }

  private onResult(r: SuggestResult): void {
    const sel = this.host.selected();
    this.items = r.items.filter((it) => !sel.has(it.supervoxel) && !this.dismissed.has(it.supervoxel));
    const taken = new Set(this.accepted.map((a) => a.split.supervoxel));
    this.offer = r.split && sel.has(r.split.supervoxel) && !this.noSplit.has(r.split.supervoxel) && !taken.has(r.split.supervoxel) ? r.split : null;
    this.lastResult = { zFrom: r.zFrom, zTo: r.zTo, inferred: r.inferred, inferMs: Math.round(r.inferMs) };
    this.emitSuggestions();
    this.host.redraw();
  }

  private emitSuggestions(): void {
    this.itemsVersion_++;
    this.host.bus.emit("suggestions", {
      items: this.items.map((it) => ({ supervoxel: it.supervoxel, probability: it.probability, group: it.group.slice(), voxels: it.voxels })),
      split: this.offer ? splitInfo(this.offer) : null,
    });
  }
}

function splitInfo(o: SplitOffer) {
  return { supervoxel: o.supervoxel, keepVoxels: o.keepVoxels, dropVoxels: o.dropVoxels, cutEvidence: o.cutEvidence };
}
