"use client";
// The HUD's suggestion block: whether the model runs (and why not), the best suggestion, the split
// offer, and buttons that send the same commands as the keys (Space, X, C, Shift+C).
import type { TraceSplit } from "@/core/trace-splits";
import type { GameBus, SplitOfferInfo, SuggestionInfo, SuggestionStatusEvent } from "@/game/event-bus";

export type SuggestionState = {
  status: SuggestionStatusEvent | null;
  items: SuggestionInfo[];
  split: SplitOfferInfo | null;
  splits: TraceSplit[];
};

export const initialSuggestionState: SuggestionState = { status: null, items: [], split: null, splits: [] };

const pct = (p: number) => `${Math.round(p * 100)} %`;

export function SuggestionPanel({ state, bus }: { state: SuggestionState; bus: GameBus | null }) {
  const { status, items, split, splits } = state;
  const best = items[0];
  return (
    <section className="suggest" aria-label="Suggestions" data-testid="suggestions">
      <div className="stat">
        <span>Suggestions</span>
        <span data-testid="suggestion-state" data-state={status?.state ?? "loading"}>
          {!status || status.state === "loading" ? "starting…" : status.state === "ready" ? (items.length ? `${items.length} shown` : "none here") : "off"}
        </span>
      </div>
      {status && (status.state === "unavailable" || status.state === "off") && (
        <p role="status" className="suggest-off" data-testid="suggestion-reason">
          Suggestions are unavailable: {status.reason}. You can trace without them.
        </p>
      )}
      {best && (
        <div className="suggest-best" data-testid="suggestion-best">
          <span>
            <span className="swatch suggest-swatch" aria-hidden="true" />
            Best guess (outlined in amber): {best.group.length === 1 ? "1 supervoxel" : `${best.group.length} supervoxels`}, {pct(best.probability)} likely
          </span>
          <div className="actions">
            <button type="button" onClick={() => bus?.emit("acceptSuggestion", {})} data-testid="suggestion-accept">
              Accept <kbd>Space</kbd>
            </button>
            <button type="button" className="secondary" onClick={() => bus?.emit("dismissSuggestion", {})} data-testid="suggestion-dismiss">
              Dismiss <kbd>X</kbd>
            </button>
          </div>
        </div>
      )}
      {split && (
        <div className="suggest-split" role="status" data-testid="split-offer">
          <span>
            <span className="swatch split-swatch" aria-hidden="true" />
            A selected supervoxel probably joins two cells (a boundary runs through it, {pct(split.cutEvidence)}). Split it and drop the red side
            ({split.dropVoxels} voxels)?
          </span>
          <div className="actions">
            <button type="button" onClick={() => bus?.emit("acceptSplit", {})} data-testid="split-accept">
              Split <kbd>C</kbd>
            </button>
            <button type="button" className="secondary" onClick={() => bus?.emit("dismissSplit", {})} data-testid="split-dismiss">
              Keep whole <kbd>Shift</kbd>+<kbd>C</kbd>
            </button>
          </div>
        </div>
      )}
      {splits.length > 0 && (
        <p className="muted" style={{ margin: 0 }} data-testid="split-count">
          {splits.length === 1 ? "1 split" : `${splits.length} splits`} recorded with your trace
        </p>
      )}
    </section>
  );
}
