"use client";
// Owns the Phaser game's lifecycle: createGame in an effect, destroy in cleanup. Talks to it only via the bus.
import { useEffect, useRef } from "react";
import type { GameBus } from "@/game/event-bus";
import type { GameTask } from "@/server/services/tasks";

export type GameHandle = { bus: GameBus; getSelection(): number[] };

export default function GameCanvas({ task, onReady, testHooks }: { task: GameTask; onReady(handle: GameHandle | null): void; testHooks?: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let destroyed = false;
    let destroy: (() => void) | null = null;
    void import("@/game/create-game").then(({ createGame }) => {
      if (destroyed || !host.current) return;
      const base = `/api/v1/datasets/${task.datasetId}`;
      const game = createGame(host.current, {
        task,
        urls: {
          tile: (level: number, z: number, ty: number, tx: number) => `${base}/tiles/${level}/${z}/${ty}_${tx}.png`,
          labelChunk: (cx: number, cy: number, cz: number) => `${base}/labels/${cx}_${cy}_${cz}`,
        },
        testHooks,
      });
      destroy = game.destroy;
      onReady({ bus: game.bus, getSelection: game.getSelection });
    });
    return () => {
      destroyed = true;
      onReady(null);
      destroy?.();
    };
    // One game per task; onReady is stable (a state setter).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [task.taskId]);
  return <div ref={host} className="game-host" data-testid="game-host" aria-label="Slice view: click supervoxels to add them to the neuron" role="application" />;
}
