"use client";
import { useMutation } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useSession } from "next-auth/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { PlayButton } from "@/app/_components/GuestButton";
import { useTRPC } from "@/app/_lib/trpc";
import type { GameHandle } from "./_components/GameCanvas";
import { SuggestionPanel, initialSuggestionState, type SuggestionState } from "./_components/SuggestionPanel";
import { SliceSlider } from "./_components/SliceSlider";
import { Neuron3dView } from "./_components/Neuron3dView";

const GameCanvas = dynamic(() => import("./_components/GameCanvas"), { ssr: false, loading: () => <div className="game-host"><p className="overlay-msg">Loading the game…</p></div> });

export function PlayClient({ testHooks }: { testHooks: boolean }) {
  const { status } = useSession();
  const trpc = useTRPC();
  const assign = useMutation(trpc.task.assign.mutationOptions());
  const submit = useMutation(trpc.trace.submit.mutationOptions());
  const [game, setGame] = useState<GameHandle | null>(null);
  const [slice, setSlice] = useState<{ z: number; zMin: number; zMax: number } | null>(null);
  const [selected, setSelected] = useState(0);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [ready, setReady] = useState(false);
  const [gameError, setGameError] = useState<string | null>(null);
  const [suggest, setSuggest] = useState<SuggestionState>(initialSuggestionState);
  const traceId = useRef<string | null>(null);
  const task = assign.data ?? null;

  const nextTask = useCallback(() => {
    submit.reset();
    setReady(false);
    setProgress(null);
    traceId.current = null;
    assign.mutate();
  }, [assign, submit]);

  useEffect(() => {
    if (status === "authenticated" && assign.isIdle) assign.mutate();
  }, [status, assign]);

  // Review mode: after submitting, the game colours what the consensus kept, what was missed and what was extra.
  const review = submit.data?.review ?? null;
  useEffect(() => {
    if (game && review) game.bus.emit("showReview", review);
  }, [game, review]);

  if (status === "loading") return <p className="muted">Loading…</p>;
  if (status === "unauthenticated")
    return (
      <div className="card">
        <h1>Ready to trace?</h1>
        <p>Play as a guest right away, or sign in to keep your points.</p>
        <div className="actions"><PlayButton label="Play" /><Link className="button secondary" href="/signin">Sign in</Link></div>
      </div>
    );
  if (assign.isError) return <p role="alert" className="error">Could not get a task: {assign.error.message}</p>;
  if (assign.isSuccess && !task)
    return (
      <div className="card">
        <h1>All cubes are done</h1>
        <p>Every open cube has enough players for now. Look at the <Link href="/neurons">neurons</Link> you helped build.</p>
      </div>
    );
  if (!task) return <p className="muted">Finding a cube for you…</p>;

  function onSubmit() {
    if (!game || !task) return;
    traceId.current ??= crypto.randomUUID();
    const splits = game.getSplits();
    submit.mutate({ traceId: traceId.current, taskId: task.taskId, supervoxels: game.getSelection(), ...(splits.length ? { splits } : {}) });
  }
  const result = submit.data;

  return (
    <div className="play">
      <GameCanvas
        key={task.taskId}
        task={task}
        onHandle={setGame}
        testHooks={testHooks}
        listeners={{
          sliceChanged: setSlice,
          selectionChanged: (e) => setSelected(e.count),
          loadProgress: setProgress,
          ready: () => setReady(true),
          error: (e) => setGameError(e.message),
          suggestionStatus: (status) => setSuggest((s) => ({ ...s, status })),
          suggestions: ({ items, split }) => setSuggest((s) => ({ ...s, items, split })),
          splitsChanged: ({ splits }) => setSuggest((s) => ({ ...s, splits })),
        }}
      />
      <aside className="hud card" aria-label="Game status">
        <h1 style={{ fontSize: "1.2rem", margin: 0 }}>
          <span className="swatch" style={{ background: task.color }} aria-hidden="true" />
          {task.neuronName}
        </h1>
        <p className="muted" style={{ margin: 0 }}>Cube {task.submissions + (result ? 0 : 1)} of {task.redundancy} players</p>
        {!ready && progress && (
          <label>
            Loading the cube…
            <progress value={progress.loaded} max={progress.total} />
          </label>
        )}
        {gameError && <p role="alert" className="error">{gameError}</p>}
        <div className="stat"><span>Slice</span><span data-testid="hud-slice">{slice ? `${slice.z - slice.zMin + 1} / ${slice.zMax - slice.zMin + 1}` : "–"}</span></div>
        {slice && game && <SliceSlider slice={slice} bus={game.bus} />}
        <Neuron3dView task={task} game={game} />
        <div className="stat"><span>Selected supervoxels</span><span data-testid="hud-selected">{selected}</span></div>
        {!result && <SuggestionPanel state={suggest} bus={game?.bus ?? null} />}
        {!result ? (
          <div className="submit-bar">
            <button type="button" onClick={onSubmit} disabled={!ready || submit.isPending} data-testid="submit">
              {submit.isPending ? "Submitting…" : "Submit trace"}
            </button>
          </div>
        ) : (
          <div role="status" data-testid="result">
            <p className="big" data-testid="points">+{result.points} points</p>
            <p className="muted" style={{ margin: 0 }}>
              volume {result.breakdown.volume} · accuracy {result.breakdown.accuracy} · first on cube {result.breakdown.trailblazer}
            </p>
            {result.review && (
              <p className="small" data-testid="review-legend">
                In the slices now: <span className="review-correct">■ {result.review.correct.length} correct</span> ·{" "}
                <span className="review-missed">■ {result.review.missed.length} missed</span> · <span className="review-extra">■ {result.review.extra.length} extra</span>
              </p>
            )}
            {result.streak > 1 && <p className="small" data-testid="streak">Streak: {result.streak} accurate cubes in a row{result.breakdown.streak ? ` (+${result.breakdown.streak})` : ""}</p>}
            {result.comparison ? (
              <p data-testid="comparison">
                Agreement with the other players: <strong>{Math.round(result.comparison.f1 * 100)} %</strong> ({result.comparison.agreed} agreed,
                {" "}{result.comparison.extra} extra, {result.comparison.missed} missed)
              </p>
            ) : (
              <p data-testid="comparison">You are the first on this cube: trailblazer bonus!</p>
            )}
            <p className="muted">{result.retired ? "This cube is complete: its consensus is now part of the neuron." : `${result.submissions} of ${result.redundancy} players have traced this cube.`}</p>
            {result.spawned > 0 && <p data-testid="spawned">The neuron leaves this cube: {result.spawned} new {result.spawned === 1 ? "cube" : "cubes"} to trace next.</p>}
            {result.neuronComplete && <p data-testid="neuron-complete">This neuron is complete!</p>}
            <div className="actions">
              <button type="button" onClick={nextTask}>Next cube</button>
              <Link className="button secondary" href={`/neurons/${result.neuronId}`}>See the neuron</Link>
            </div>
          </div>
        )}
        {submit.isError && <p role="alert" className="error">{submit.error.message}</p>}
        {!result && <p className="small" style={{ margin: 0 }}><Link href="/tutorial">New here? Learn on practice cubes</Link></p>}
        <div className="keys">
          <strong>Keys</strong><br />
          <kbd>W</kbd>/<kbd>S</kbd> or <kbd>↑</kbd>/<kbd>↓</kbd> or wheel: slice<br />
          click: add · click again or <kbd>Ctrl</kbd>+click: remove<br />
          <kbd>Ctrl</kbd>+<kbd>Z</kbd>: undo · drag: pan · <kbd>+</kbd>/<kbd>-</kbd>: zoom · <kbd>R</kbd>: reset view<br />
          <kbd>Space</kbd>: accept the best suggestion · <kbd>1</kbd>–<kbd>3</kbd>: accept that suggestion · <kbd>X</kbd>: dismiss the best · <kbd>C</kbd>: split
        </div>
      </aside>
    </div>
  );
}
