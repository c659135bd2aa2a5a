/**
 * What the suggestion worker does, without the runtime: it keeps the cube's slices that the game sent,
 * runs the boundary model on the slices around the current one (through an injected `infer`, so tests
 * can run it in Node), caches each slice's boundary map, and answers a request with ranked suggestions
 * and at most one split offer (core/suggestions.ts). No onnxruntime import: the worker owns that.
 */
import { MODEL_CONTEXT, contextIndices, predictPlane, type InferTile } from "@/core/model-io";
import { bestSplit, rankSuggestions, suggestionWindow, windowContactGraph, windowCoords, type SplitOptions, type SuggestOptions } from "@/core/suggestions";
import type { SplitOffer, SuggestRequest, SuggestResult, WorkerSlice } from "./protocol";

export type EngineOptions = {
  suggest?: SuggestOptions;
  split?: SplitOptions;
  /** Model tile size (core/model-io tilePlan); default 256. */
  tile?: number;
};

export const DEFAULT_SPLIT: Required<Pick<SplitOptions, "threshold" | "minSideFraction" | "minSideVoxels">> = {
  threshold: 0.5,
  minSideFraction: 0.2,
  minSideVoxels: 300,
};

export class SuggestEngine {
  private readonly grey = new Map<number, Uint8Array>();
  private readonly labels = new Map<number, Uint32Array>();
  private readonly boundary = new Map<number, Float32Array>();
  readonly plane: number;

  constructor(
    readonly dims: { width: number; height: number; depth: number },
    private readonly infer: InferTile,
    private readonly opts: EngineOptions = {},
  ) {
    const { width, height, depth } = dims;
    if (![width, height, depth].every((v) => Number.isInteger(v) && v > 0)) throw new RangeError(`bad cube ${width}×${height}×${depth}`);
    this.plane = width * height;
  }

  addSlices(slices: WorkerSlice[]): void {
    for (const s of slices) {
      if (!Number.isInteger(s.z) || s.z < 0 || s.z >= this.dims.depth) throw new RangeError(`slice ${s.z} outside the cube`);
      if (s.grey.length !== this.plane || s.labels.length !== this.plane) throw new Error(`slice ${s.z} has the wrong size`);
      this.grey.set(s.z, s.grey);
      this.labels.set(s.z, s.labels);
      // A slice's boundary depends on its neighbours' grey too: recompute those that used a fallback.
      for (let d = -1; d <= 1; d++) this.boundary.delete(s.z + d);
    }
  }

  /** Slice z can be used: its labels and the grey of every slice the model reads for it are here. */
  available(z: number): boolean {
    if (z < 0 || z >= this.dims.depth || !this.labels.has(z)) return false;
    return contextIndices(z, this.dims.depth).every((c) => this.grey.has(c));
  }

  /** Boundary maps cached so far (for tests and the status line). */
  get cachedSlices(): number {
    return this.boundary.size;
  }

  /** The model's boundary map of slice z (cached). */
  async boundaryOf(z: number): Promise<{ map: Float32Array; inferred: boolean }> {
    const hit = this.boundary.get(z);
    if (hit) return { map: hit, inferred: false };
    const ctx = contextIndices(z, this.dims.depth).map((c) => this.grey.get(c)!);
    if (ctx.length !== MODEL_CONTEXT) throw new Error("model context mismatch");
    const map = await predictPlane(this.infer, ctx, this.dims.width, this.dims.height, { tile: this.opts.tile ?? 256 });
    this.boundary.set(z, map);
    return { map, inferred: true };
  }

  /**
   * Suggestions for a request, or null when `stale()` turned true while the model ran (a newer
   * request is waiting: its answer is the one that matters).
   */
  async answer(req: SuggestRequest, stale: () => boolean = () => false): Promise<SuggestResult | null> {
    const { width, height, depth } = this.dims;
    const win = suggestionWindow(req.z, req.radius, depth, (zz) => this.available(zz));
    if (!win) {
      const z = Math.min(depth - 1, Math.max(0, Math.round(req.z)));
      return { type: "result", id: req.id, zFrom: z, zTo: z, items: [], split: null, inferred: 0, inferMs: 0 };
    }
    const { z, zFrom, zTo } = win;

    // Nearest slices first, so a stale request stops after the most useful work.
    const order: number[] = [z];
    for (let d = 1; z - d >= zFrom || z + d <= zTo; d++) {
      if (z - d >= zFrom) order.push(z - d);
      if (z + d <= zTo) order.push(z + d);
    }
    let inferred = 0;
    const t0 = now();
    for (const zz of order) {
      if ((await this.boundaryOf(zz)).inferred) inferred++;
      if (stale()) return null;
    }
    const inferMs = now() - t0;

    const { labels, boundary, dims, graph } = windowContactGraph(zFrom, zTo, { x: width, y: height }, (zz) => ({
      labels: this.labels.get(zz)!,
      boundary: this.boundary.get(zz)!,
    }));
    const selected = new Set(req.selected);
    const items = rankSuggestions(graph, selected, { ...this.opts.suggest, exclude: new Set(req.exclude) });

    const noSplit = new Set(req.noSplit);
    const candidates = req.selected.filter((id) => !noSplit.has(id) && graph.sizes.has(id));
    const splitOpts = { ...DEFAULT_SPLIT, ...this.opts.split };
    const p = bestSplit(labels, boundary, dims, candidates, selected, splitOpts);
    let split: SplitOffer | null = null;
    if (p) {
      const keep = windowCoords(p.keepVoxel, dims);
      const drop = windowCoords(p.dropVoxel, dims);
      const dropMask = new Uint8Array(p.sides.length);
      for (let i = 0; i < dropMask.length; i++) dropMask[i] = p.sides[i] === 2 ? 1 : 0;
      split = {
        supervoxel: p.supervoxel,
        zFrom,
        zTo,
        keep: { ...keep, z: keep.z + zFrom },
        drop: { ...drop, z: drop.z + zFrom },
        keepVoxels: p.keepVoxels,
        dropVoxels: p.dropVoxels,
        cutEvidence: p.cutEvidence,
        threshold: splitOpts.threshold,
        dropMask,
      };
    }
    return { type: "result", id: req.id, zFrom, zTo, items, split, inferred, inferMs };
  }
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
