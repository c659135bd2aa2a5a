/**
 * Messages between the game (main thread) and the suggestion worker. No dependency: both sides
 * import it. Slice indices are cube-local (0 = the cube's first slice); voxel ids are supervoxel ids.
 */

export type WorkerInit = {
  type: "init";
  /** URL of the ONNX boundary model (docs/model-contract.md). */
  modelUrl: string;
  /** Prefix where ort-wasm-simd-threaded.{mjs,wasm} are served ("/ort/"). */
  wasmPaths: string;
  /** Cube size in voxels. */
  width: number;
  height: number;
  depth: number;
};

/** One slice of the cube, sent once when its grey tiles and label chunks have all landed. */
export type WorkerSlice = { z: number; grey: Uint8Array; labels: Uint32Array };

export type WorkerSlices = { type: "slices"; slices: WorkerSlice[] };

export type SuggestRequest = {
  type: "suggest";
  /** Increasing; the worker answers only the newest request it has. */
  id: number;
  /** Current slice and how many slices either side make the window. */
  z: number;
  radius: number;
  selected: number[];
  /** Dismissed suggestions: never suggested again. */
  exclude: number[];
  /** Supervoxels whose split offer was dismissed or already taken. */
  noSplit: number[];
};

export type ToWorker = WorkerInit | WorkerSlices | SuggestRequest | { type: "dispose" };

export type SuggestionItem = {
  supervoxel: number;
  probability: number;
  contact: number;
  /** Supervoxels an accept adds (the suggested one first). */
  group: number[];
  voxels: number;
};

export type SplitOffer = {
  supervoxel: number;
  /** Cube-local slices the offer covers (inclusive): the window it was computed on. */
  zFrom: number;
  zTo: number;
  /** Cube-local voxel of the side kept in the neuron, and of the side cut off. */
  keep: { x: number; y: number; z: number };
  drop: { x: number; y: number; z: number };
  keepVoxels: number;
  dropVoxels: number;
  /** Mean boundary probability over the cut, and the threshold that made it. */
  cutEvidence: number;
  threshold: number;
  /** (zTo − zFrom + 1) × height × width: 1 where the voxel is on the side cut off. */
  dropMask: Uint8Array;
};

export type WorkerStatus =
  | { type: "status"; state: "loading" }
  | { type: "status"; state: "ready"; backend: string; loadMs: number }
  | { type: "status"; state: "unavailable"; reason: string };

export type SuggestResult = {
  type: "result";
  id: number;
  zFrom: number;
  zTo: number;
  items: SuggestionItem[];
  split: SplitOffer | null;
  /** Slices the model ran on for this answer, and the milliseconds they took. */
  inferred: number;
  inferMs: number;
};

export type FromWorker = WorkerStatus | SuggestResult | { type: "error"; message: string };
