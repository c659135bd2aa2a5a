"use client";
// A slider for slices: for tablets (drag with a finger), mice and keyboards (arrow keys, Page Up/Down,
// Home/End). It sends the game a setSlice command and follows the game's sliceChanged events.
import type { GameBus } from "@/game/event-bus";

export function SliceSlider({ slice, bus }: { slice: { z: number; zMin: number; zMax: number }; bus: GameBus }) {
  const n = slice.zMax - slice.zMin + 1;
  return (
    <label className="slice-slider">
      <span className="sr-only">Slice</span>
      <input
        type="range"
        min={slice.zMin}
        max={slice.zMax}
        step={1}
        value={slice.z}
        data-testid="slice-slider"
        aria-valuetext={`slice ${slice.z - slice.zMin + 1} of ${n}`}
        onChange={(e) => bus.emit("setSlice", { z: Number(e.target.value) })}
      />
    </label>
  );
}
