/**
 * A tiny typed event bus, one per game instance. React (or a test) and the Phaser scene talk only
 * through it: the game emits *events* (out) and listens for *commands* (in). Both travel on the same
 * emitter; the two maps only document the direction.
 *
 * No dependency, no DOM: safe to import anywhere (server components included).
 */
import type { TraceSplit } from "@/core/trace-splits";

/** A suggested continuation (game/suggestions.ts): accepting it adds `group` (the suggested supervoxel first). */
export type SuggestionInfo = { supervoxel: number; probability: number; group: number[]; voxels: number };
/** A probable merge error inside a selected supervoxel: splitting keeps `keepVoxels`, cuts off `dropVoxels`. */
export type SplitOfferInfo = { supervoxel: number; keepVoxels: number; dropVoxels: number; cutEvidence: number };
/** Whether suggestions run; `reason` says why not (a missing or corrupt model, no workers…). */
export type SuggestionStatusEvent =
  | { state: "off"; reason: string }
  | { state: "loading" }
  | { state: "ready"; backend: string }
  | { state: "unavailable"; reason: string };

/** Events the game emits (game → host). All z values are absolute volume coordinates. */
export type GameEvents = {
  /**
   * The scene is up and the current slice is drawn with its grey tiles and label chunks (once).
   * The rest of the cube keeps streaming: watch `loadProgress` for the whole of it.
   */
  ready: Record<string, never>;
  /** Loaded / total network items (grey tiles + label chunks). */
  loadProgress: { loaded: number; total: number };
  /** Current slice changed; `zMin`/`zMax` are the first and last slice of the cube (inclusive). */
  sliceChanged: { z: number; zMin: number; zMax: number };
  /** Selected supervoxels (seeds included), ascending. */
  selectionChanged: { selected: number[]; count: number };
  /** Supervoxel under the pointer, `null` when none (off the cube, or not loaded yet). */
  hover: { supervoxel: number | null };
  error: { message: string };
  /** Ranked suggestions (best first) and the current split offer; after every answer or player action. */
  suggestions: { items: SuggestionInfo[]; split: SplitOfferInfo | null };
  suggestionStatus: SuggestionStatusEvent;
  /** Splits the player accepted: submitted with the trace. */
  splitsChanged: { splits: TraceSplit[] };
};

/** Commands the game listens for (host → game). */
export type GameCommands = {
  /** Absolute z, clamped to the cube. */
  setSlice: { z: number };
  undo: Record<string, never>;
  /** Remove every non-seed supervoxel (one undo step). */
  clearSelection: Record<string, never>;
  /** Replace the selection (seeds are always kept; one undo step). */
  setSelection: { selected: number[] };
  /** Multiply the zoom by `factor` around the view centre. */
  zoom: { factor: number };
  /** Fit the cube in the view. */
  resetView: Record<string, never>;
  /** Accept the best suggestion (or the one named): its group joins the selection (one undo step). Key: Space. */
  acceptSuggestion: { supervoxel?: number };
  /** Dismiss the best suggestion (or the one named) for this cube. Keys: X, Backspace. */
  dismissSuggestion: { supervoxel?: number };
  /** Take the split offer (recorded in the trace). Key: C. Shift+C keeps the supervoxel whole. */
  acceptSplit: Record<string, never>;
  dismissSplit: Record<string, never>;
  /**
   * After submitting: colour the player's supervoxels the consensus kept (correct), those it has that the
   * player missed, and the player's extras. Stays until `clearReview` (or the next cube).
   */
  showReview: { correct: number[]; missed: number[]; extra: number[] };
  clearReview: Record<string, never>;
};

export type Listener<P> = (payload: P) => void;

export interface Bus<M extends Record<string, unknown>> {
  /** Subscribe; returns an unsubscribe function (handy in a React effect cleanup). */
  on<K extends keyof M>(type: K, listener: Listener<M[K]>): () => void;
  once<K extends keyof M>(type: K, listener: Listener<M[K]>): () => void;
  off<K extends keyof M>(type: K, listener: Listener<M[K]>): void;
  emit<K extends keyof M>(type: K, payload: M[K]): void;
  /** Drop every listener (the game calls this on destroy). */
  clear(): void;
}

export type GameBus = Bus<GameEvents & GameCommands>;

export function createBus<
  Events extends Record<string, unknown> = GameEvents,
  Commands extends Record<string, unknown> = GameCommands,
>(): Bus<Events & Commands> {
  type M = Events & Commands;
  const listeners = new Map<keyof M, Set<Listener<never>>>();

  const off = <K extends keyof M>(type: K, listener: Listener<M[K]>): void => {
    const set = listeners.get(type);
    if (!set) return;
    set.delete(listener as Listener<never>);
    if (set.size === 0) listeners.delete(type);
  };

  const on = <K extends keyof M>(type: K, listener: Listener<M[K]>): (() => void) => {
    let set = listeners.get(type);
    if (!set) {
      set = new Set();
      listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => off(type, listener);
  };

  const once = <K extends keyof M>(type: K, listener: Listener<M[K]>): (() => void) => {
    const wrapped: Listener<M[K]> = (payload) => {
      off(type, wrapped);
      listener(payload);
    };
    return on(type, wrapped);
  };

  const emit = <K extends keyof M>(type: K, payload: M[K]): void => {
    const set = listeners.get(type);
    if (!set) return;
    // Copy: a listener may unsubscribe (or subscribe) while we iterate.
    for (const listener of [...set]) {
      try {
        (listener as Listener<M[K]>)(payload);
      } catch (err) {
        // One broken listener must not stop the others, nor the game loop.
        console.error(`[axonaut bus] listener for "${String(type)}" threw`, err);
      }
    }
  };

  return { on, once, off, emit, clear: () => listeners.clear() };
}

export function createGameBus(): GameBus {
  return createBus<GameEvents, GameCommands>();
}
