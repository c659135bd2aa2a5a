/**
 * Supervoxels from a boundary map: seeds → watershed → region graph → agglomeration → final graph.
 * Pure composition of core/watershed.ts and core/region-graph.ts, shared by ingest, the evaluation
 * CLI and the benchmarks. Parameters were tuned on the training and validation slabs (z 0-174) of
 * the NeuroProof sample (bench/tune-supervoxels.ts).
 */
import { agglomerate, buildRegionGraph, labelSizes, relabel, type RegionGraph } from "./region-graph";
import type { Vec3 } from "./volume";
import { distanceSeeds, watershed } from "./watershed";

export type SupervoxelParams = {
  /** Boundary byte (0..255) at or above which a voxel is boundary when placing seeds. */
  seedThreshold: number;
  /** Seeds are distance maxima at least this far (voxels) from the boundary. */
  minSeedDistance: number;
  /** Agglomerate while the lowest contact score is below this (0..1). */
  mergeThreshold: number;
  /** Contact score: this quantile of the boundary probability over the contact; null = its mean. */
  quantile: number | null;
  /** Supervoxels smaller than this (voxels) then join their lowest-score neighbour. */
  minSize: number;
  /** Two regions of at least `largeSize` voxels merge only below `largeThreshold` (null: no such rule). */
  largeSize: number | null;
  largeThreshold: number | null;
};

/**
 * Chosen by bench/tune-supervoxels.ts (rule v4, see there: highest validation purity with at most
 * 0.7 × the shipped supervoxels per neuron on both slabs) on the training and validation slabs:
 * training slab 96.76 % purity, 3.25 supervoxels per neuron (shipped 95.48 %, 6.33); validation
 * slab 97.33 %, 2.68 (shipped 96.44 %, 4.46). bench/tune-supervoxels.result.txt has the sweep.
 */
export const DEFAULT_SUPERVOXEL_PARAMS: SupervoxelParams = {
  seedThreshold: 128,
  minSeedDistance: 2,
  mergeThreshold: 0.3,
  quantile: 0.6,
  minSize: 200,
  largeSize: 100000,
  largeThreshold: 0.2,
};

export const SUPERVOXEL_STAGES = ["seeds", "watershed", "region-graph", "agglomerate"] as const;
export type SupervoxelStage = (typeof SUPERVOXEL_STAGES)[number];

export type SupervoxelResult = {
  /** z,y,x ids 1..count (every voxel labelled when the map has any interior). */
  labels: Uint32Array;
  count: number;
  /** The region graph of the final supervoxels, scored on the same boundary map. */
  graph: RegionGraph;
  /** Before agglomeration. */
  watershedCount: number;
  /** ms per stage. */
  timings: Record<SupervoxelStage, number>;
};

/**
 * Over-segment a boundary map (uint8, round(p·255), z,y,x). `onStage(stage, done)` is called when
 * a stage starts (done = false) and ends (done = true).
 */
export function makeSupervoxels(
  boundary: Uint8Array,
  shape: Vec3,
  params: Partial<SupervoxelParams> = {},
  onStage?: (stage: SupervoxelStage, done: boolean) => void,
): SupervoxelResult {
  const p = { ...DEFAULT_SUPERVOXEL_PARAMS, ...params };
  const timings = { seeds: 0, watershed: 0, "region-graph": 0, agglomerate: 0 } as Record<SupervoxelStage, number>;
  const run = <T>(stage: SupervoxelStage, f: () => T): T => {
    onStage?.(stage, false);
    const t0 = performance.now();
    const r = f();
    timings[stage] += performance.now() - t0;
    onStage?.(stage, true);
    return r;
  };
  const { seeds, count: seedCount } = run("seeds", () =>
    distanceSeeds(boundary, shape, { threshold: p.seedThreshold, minSeedDistance: p.minSeedDistance }),
  );
  const labels = run("watershed", () => watershed(boundary, seeds, shape, seeds));
  const g0 = run("region-graph", () => buildRegionGraph(labels, boundary, shape));
  const { count } = run("agglomerate", () => {
    const r = agglomerate(g0, {
      threshold: p.mergeThreshold,
      sizes: labelSizes(labels, seedCount),
      minSize: p.minSize,
      quantile: p.quantile ?? undefined,
      largeSize: p.largeSize ?? undefined,
      largeThreshold: p.largeThreshold ?? undefined,
    });
    relabel(labels, r.map);
    return r;
  });
  const graph = run("region-graph", () => buildRegionGraph(labels, boundary, shape));
  return { labels, count, graph, watershedCount: seedCount, timings };
}
