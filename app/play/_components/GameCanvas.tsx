"use client";
// Owns the Phaser game's lifecycle: createGame in an effect, destroy in cleanup. Talks to it only via the
// bus, subscribing in the same tick as createGame so that no early event (first slice, seeds) is missed.
import { useEffect, useRef } from "react";
import type { TraceSplit } from "@/core/trace-splits";
import type { GameBus, GameEvents } from "@/game/event-bus";
import type { GameTask } from "@/server/services/tasks";

export type GameHandle = { bus: GameBus; getSelection(): number[]; getSplits(): TraceSplit[] };
export type GameListeners = { [K in keyof GameEvents]?: (payload: GameEvents[K]) => void };

function forward<K extends keyof GameEvents>(bus: GameBus, name: K, listeners: () => GameListeners) {
  bus.on(name, (payload) => listeners()[name]?.(payload as GameEvents[K]));
}

export default function GameCanvas(props: { task: GameTask; listeners: GameListeners; onHandle(handle: GameHandle | null): void; testHooks?: boolean }) {
  const { task, testHooks } = props;
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => void) | null = null;
    void import("@/game/create-game").then(({ createGame }) => {
      if (cancelled || !host.current) return;
      const base = `/api/v1/datasets/${task.datasetId}`;
      const game = createGame(host.current, {
        task,
        urls: {
          tile: (level: number, z: number, ty: number, tx: number) => `${base}/tiles/${level}/${z}/${ty}_${tx}.png`,
          labelChunk: (cx: number, cy: number, cz: number) => `${base}/labels/${cx}_${cy}_${cz}`,
        },
        testHooks,
        // The boundary model and onnxruntime-web's wasm runtime, both self-hosted (public/).
        suggestions: { modelUrl: "/models/boundary.onnx", wasmPaths: "/ort/" },
      });
      const names = ["ready", "loadProgress", "sliceChanged", "selectionChanged", "hover", "error", "suggestions", "suggestionStatus", "splitsChanged"] as const;
      for (const name of names) forward(game.bus, name, () => latest.current.listeners);
      destroy = game.destroy;
      latest.current.onHandle({ bus: game.bus, getSelection: game.getSelection, getSplits: game.getSplits });
    });
    return () => {
      cancelled = true;
      latest.current.onHandle(null);
      destroy?.();
    };
  }, [task, testHooks]);

  return <div ref={host} className="game-host" data-testid="game-host" aria-label="Slice view: click supervoxels to add them to the neuron" role="application" />;
}
