"use client";
// The 3D view beside the slice view: the neuron as the player builds it. Owns game/neuron-3d's lifecycle
// and follows the game's selection through the bus.
import { useEffect, useRef, useState } from "react";
import type { GameBus } from "@/game/event-bus";
import type { GameTask } from "@/server/services/tasks";

type Handle = { bus: GameBus; getSelection(): number[] };

export function Neuron3dView({ task, game }: { task: GameTask; game: Handle | null }) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ points: number; yaw: number; renderer: string } | null>(null);

  useEffect(() => {
    if (!game || !host.current) return;
    let cancelled = false;
    let cleanup: (() => void) | null = null;
    void import("@/game/neuron-3d").then(({ createNeuron3d }) => {
      if (cancelled || !host.current) return;
      const view = createNeuron3d(host.current, {
        task,
        labelChunkUrl: (cx, cy, cz) => `/api/v1/datasets/${task.datasetId}/labels/${cx}_${cy}_${cz}`,
        onChange: (s) => setState({ points: s.points, yaw: Math.round(s.orbit.yaw * 1000) / 1000, renderer: s.renderer }),
      });
      view.setSelection(game.getSelection());
      const off = game.bus.on("selectionChanged", (e) => view.setSelection(e.selected));
      cleanup = () => {
        off();
        view.destroy();
      };
    });
    return () => {
      cancelled = true;
      cleanup?.();
    };
  }, [task, game]);

  return (
    <figure className="neuron-3d" data-testid="neuron-3d" data-points={state?.points ?? 0} data-yaw={state?.yaw ?? 0} data-renderer={state?.renderer ?? ""}>
      <div ref={host} className="neuron-3d-host" />
      <figcaption className="small muted">Your neuron in 3D: drag to turn it</figcaption>
    </figure>
  );
}
