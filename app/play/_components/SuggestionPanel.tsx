"use client";
// The HUD's suggestion block: whether the model runs (and why not), the suggestions shown (up to 3,
// numbered like their badges on the slice), the split offer, and buttons that send the same commands as
// the keys (1–3 and Space, X, C, Shift+C). The first item keeps the test ids `suggestion-best` and
// `suggestion-accept`; the others' Accept buttons are `suggestion-accept-<n>`.
import { useId } from "react";
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
/** As many as the game numbers on the slice (keys 1–3). */
const SHOWN = 3;
const supervoxels = (n: number) => (n === 1 ? "1 supervoxel" : `${n} supervoxels`);

export function SuggestionPanel({ state, bus }: { state: SuggestionState; bus: GameBus | null }) {
  const { status, items, split, splits } = state;
  const shown = items.slice(0, SHOWN);
  const idBase = useId();
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
      {shown.length > 0 && (
        // role="list": Safari drops list semantics when list-style is none.
        <ol role="list" className="suggest-list" aria-label="Suggested continuations, best first" style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: 10 }}>
          {shown.map((it, i) => {
            const n = i + 1;
            const what = `${supervoxels(it.group.length)}, ${pct(it.probability)} likely`;
            return (
              <li key={it.supervoxel} data-testid={`suggestion-item-${n}`}>
                {/* The runners-up on one row each: the panel stays short. */}
                <div className="suggest-best" data-testid={i === 0 ? "suggestion-best" : undefined} style={i === 0 ? undefined : { flexDirection: "row", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between" }}>
                  <span id={`${idBase}-${n}`}>
                    <span className="swatch suggest-swatch" aria-hidden="true" style={i === 0 ? undefined : { opacity: 0.6 }} />
                    <strong>{n}.</strong> {i === 0 ? "Best guess (outlined in amber): " : ""}
                    {what}
                  </span>
                  <div className="actions">
                    <button
                      type="button"
                      onClick={() => bus?.emit("acceptSuggestion", { supervoxel: it.supervoxel })}
                      data-testid={i === 0 ? "suggestion-accept" : `suggestion-accept-${n}`}
                      aria-describedby={`${idBase}-${n}`}
                    >
                      Accept <kbd>{n}</kbd>
                      {i === 0 && (
                        <>
                          {" "}/ <kbd>Space</kbd>
                        </>
                      )}
                    </button>
                    {i === 0 && (
                      <button type="button" className="secondary" onClick={() => bus?.emit("dismissSuggestion", { supervoxel: it.supervoxel })} data-testid="suggestion-dismiss">
                        Dismiss <kbd>X</kbd>
                      </button>
                    )}
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
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
