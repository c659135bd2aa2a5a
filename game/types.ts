/** Shapes the host (React) passes to the game. See docs/contracts.md. */
import type { Box, Vec3 } from "@/core/volume";
import type { TraceSplit } from "@/core/trace-splits";
import type { GameBus, SplitOfferInfo, SuggestionInfo, SuggestionStatusEvent } from "./event-bus";
import type { SuggestionConfig } from "./suggestions";
import type { VolumeUrls } from "./volume-loader";

/** What tRPC `task.assign` returns and `createGame` takes. */
export type GameTask = {
  taskId: string;
  datasetId: string;
  neuronId: string;
  /** The whole volume. */
  shape: Vec3;
  /** The cube to trace in (absolute voxels, half-open). */
  box: Box;
  /** Seed supervoxel ids: always selected, never removable. */
  seeds: number[];
  /** Neuron colour "#rrggbb". */
  color: string;
  tileSize: number;
  chunkSize: number;
  voxelSize: Vec3;
};

export type GameUrls = VolumeUrls;

export type GameDeps = {
  task: GameTask;
  urls: GameUrls;
  /** Supervoxels already selected (a saved draft); seeds are added anyway. */
  initialSelection?: number[];
  /** 'auto' (default): WebGL, falling back to Canvas; 'canvas' forces the Canvas renderer. */
  renderer?: "auto" | "canvas";
  /** Expose `window.__axonautGame` for end-to-end tests. Never in production. */
  testHooks?: boolean;
  /** Absolute z to open at (default: the middle of the cube). */
  initialZ?: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
  /**
   * Suggestions from the boundary model in a Web Worker (game/inference): where the model and
   * onnxruntime-web's wasm files are served. Absent or false: no suggestions (the HUD says so).
   */
  suggestions?: SuggestionConfig | false;
};

export type GameHandle = {
  bus: GameBus;
  /** Stop loading, remove listeners and the canvas. Safe to call twice. */
  destroy(): void;
  /** Selected supervoxels (seeds included), ascending. */
  getSelection(): number[];
  /** Splits the player accepted (submitted with the trace). */
  getSplits(): TraceSplit[];
};

/** `window.__axonautGame` when `deps.testHooks` is true. Voxel coordinates are cube-local. */
export type AxonautTestHooks = {
  selection(): number[];
  /** Current slice: absolute z, the cube's first/last slice, and the cube-local index. */
  slice(): { z: number; zMin: number; zMax: number; local: number };
  /** Click the supervoxel at cube-local (x, y) of the current slice, exactly as a mouse click would. */
  clickVoxel(x: number, y: number, opts?: { remove?: boolean }): number | null;
  /** Supervoxel id at cube-local (x, y, z); null when outside or not loaded yet. */
  supervoxelAt(x: number, y: number, z: number): number | null;
  /** Page (client) coordinates of the centre of cube-local voxel (x, y), for real mouse clicks. */
  voxelToClient(x: number, y: number): { x: number; y: number };
  cubeSize(): Vec3;
  renderer(): "webgl" | "canvas";
  progress(): { loaded: number; total: number };
  zoom(): number;
  /** The review shown after submitting (showReview), null when none. */
  review(): { correct: number[]; missed: number[]; extra: number[] } | null;
  /** Suggestion state: worker status, ranked suggestions, the split offer, accepted splits. */
  suggestions(): {
    status: SuggestionStatusEvent;
    items: SuggestionInfo[];
    split: SplitOfferInfo | null;
    splits: TraceSplit[];
    window: { zFrom: number; zTo: number; inferred: number; inferMs: number } | null;
  };
  /** Where the number badges of the suggestions shown sit on the current slice (cube-local voxels; null: none there). */
  badges(): ({ x: number; y: number } | null)[];
};

declare global {
  interface Window {
    __axonautGame?: AxonautTestHooks;
  }
}
