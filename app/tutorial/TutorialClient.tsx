"use client";
// The tutorial teaches by doing: practice cubes whose answer is known (the crowd engine's practice cubes,
// graded against ground truth). A coach walks through the moves as the player makes them, and after each
// cube says what was found, missed and extra, with a hint. Until the practice cubes are done, a new
// player's votes weigh little in the consensus (their reliability is still unproven).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { PlayButton } from "@/app/_components/GuestButton";
import { useTRPC } from "@/app/_lib/trpc";
import type { GameHandle } from "@/app/play/_components/GameCanvas";
import { SliceSlider } from "@/app/play/_components/SliceSlider";
import { Neuron3dView } from "@/app/play/_components/Neuron3dView";
import { useAxonautSession } from "@/app/_lib/session";

const GameCanvas = dynamic(() => import("@/app/play/_components/GameCanvas"), { ssr: false, loading: () => <div className="game-host"><p className="overlay-msg">Loading the game…</p></div> });

export const TUTORIAL_CUBES = 2;

type Step = { id: string; text: string; done: boolean };

export function TutorialClient({ testHooks }: { testHooks: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const session = useAxonautSession();
  const me = useQuery({ ...trpc.me.get.queryOptions(), enabled: session.status === "authenticated" });
  const assign = useMutation(trpc.task.assign.mutationOptions());
  const submit = useMutation(trpc.trace.submit.mutationOptions());
  const [game, setGame] = useState<GameHandle | null>(null);
  const [slice, setSlice] = useState<{ z: number; zMin: number; zMax: number } | null>(null);
  const [sliceMoves, setSliceMoves] = useState(0);
  const [selected, setSelected] = useState(0);
  const [seeds, setSeeds] = useState<number | null>(null);
  const [ready, setReady] = useState(false);
  const traceId = useRef<string | null>(null);
  const task = assign.data ?? null;

  const start = useCallback(() => {
    submit.reset();
    setReady(false);
    setSliceMoves(0);
    setSeeds(null);
    traceId.current = null;
    assign.mutate({ practice: true });
  }, [assign, submit]);

  useEffect(() => {
    if (session.status === "authenticated" && assign.isIdle) assign.mutate({ practice: true });
  }, [session.status, assign]);

  if (session.status === "loading") return <p className="muted">Loading…</p>;
  if (session.status === "unauthenticated")
    return (
      <div className="card narrow">
        <h1>Learn to trace</h1>
        <p>Two practice cubes teach you how. We know their answers, so you see how well you did.</p>
        <div className="actions">
          <PlayButton label="Start the tutorial" />
        </div>
      </div>
    );
  const practiced = me.data?.practiceCubes ?? 0;
  if (assign.isError) return <p role="alert" className="error">Could not get a practice cube: {assign.error.message}</p>;
  if (assign.isSuccess && !task)
    return (
      <div className="card narrow">
        <h1>Tutorial done</h1>
        <p>You have played every practice cube. Real cubes count fully now.</p>
        <Link className="button" href="/play">
          Play real cubes
        </Link>
      </div>
    );
  if (!task) return <p className="muted">Finding a practice cube…</p>;

  const result = submit.data;
  const steps: Step[] = [
    { id: "slices", text: "Move through the slices: the slider, the wheel, or the W and S keys. Watch the green neuron change shape.", done: sliceMoves >= 3 },
    { id: "add", text: "Click a piece that continues the green neuron. It turns green too. Click it again to take it back.", done: seeds !== null && selected > seeds },
    { id: "follow", text: "Follow the neuron up and down through the slices, adding every piece of it. Dark lines are cell walls: do not cross them.", done: seeds !== null && selected >= seeds + 3 },
    { id: "submit", text: "When you think you have the whole neuron in this cube, press Submit.", done: Boolean(result) },
  ];
  const current = steps.find((s) => !s.done)?.id;

  function onSubmit() {
    if (!game || !task) return;
    traceId.current ??= crypto.randomUUID();
    submit.mutate(
      { traceId: traceId.current, taskId: task.taskId, supervoxels: game.getSelection() },
      { onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.me.get.queryKey() }) },
    );
  }

  return (
    <div className="stack">
      <h1 className="tutorial-title">
        Tutorial: practice cube {Math.min(practiced + (result ? 0 : 1), TUTORIAL_CUBES)} of {TUTORIAL_CUBES}
      </h1>
      <div className="play">
        <GameCanvas
          key={task.taskId}
          task={task}
          onHandle={setGame}
          testHooks={testHooks}
          listeners={{
            sliceChanged: (e) => {
              setSlice(e);
              setSliceMoves((n) => n + 1);
            },
            selectionChanged: (e) => {
              setSelected(e.count);
              setSeeds((s) => s ?? e.count);
            },
            ready: () => setReady(true),
          }}
        />
        <aside className="hud card" aria-label="Coach">
          <h2 className="coach-title">Coach</h2>
          <ol className="coach" data-testid="coach">
            {steps.map((s) => (
              <li key={s.id} className={s.done ? "done" : s.id === current ? "current" : ""} aria-current={s.id === current ? "step" : undefined}>
                <span aria-hidden="true">{s.done ? "✓ " : ""}</span>
                {s.text}
                {s.done && <span className="sr-only"> (done)</span>}
              </li>
            ))}
          </ol>
          {slice && game && <SliceSlider slice={slice} bus={game.bus} />}
          <Neuron3dView task={task} game={game} />
          <p className="stat">
            <span>Selected pieces</span> <span data-testid="hud-selected">{selected}</span>
          </p>
          {!result ? (
            <button type="button" onClick={onSubmit} disabled={!ready || submit.isPending} data-testid="submit">
              {submit.isPending ? "Checking…" : "Submit"}
            </button>
          ) : (
            <Feedback result={result} practiced={practiced} onNext={start} />
          )}
          {submit.isError && (
            <p role="alert" className="error">
              {submit.error.message}
            </p>
          )}
        </aside>
      </div>
    </div>
  );
}

function Feedback({
  result,
  practiced,
  onNext,
}: {
  result: { points: number; comparison: { precision: number; recall: number; f1: number; agreed: number; extra: number; missed: number } | null };
  practiced: number;
  onNext: () => void;
}) {
  const c = result.comparison;
  const hints: string[] = [];
  if (c) {
    if (c.recall < 0.8) hints.push(`You missed ${c.missed} ${c.missed === 1 ? "piece" : "pieces"}. Look a few slices up and down: the neuron often continues where it touches the cube's edge.`);
    if (c.precision < 0.8) hints.push(`${c.extra} ${c.extra === 1 ? "piece belongs" : "pieces belong"} to other cells. Stop at the dark cell walls.`);
    if (!hints.length) hints.push("Excellent tracing: you found the neuron and nothing else.");
  }
  const done = practiced >= TUTORIAL_CUBES;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.scrollIntoView({ block: "nearest" }), []);
  return (
    <div role="status" data-testid="result" className="stack" ref={box}>
      <p className="big" data-testid="points">+{result.points} points</p>
      {c && (
        <p data-testid="practice-score">
          You found <strong>{Math.round(c.recall * 100)} %</strong> of the neuron ({c.agreed} {c.agreed === 1 ? "piece" : "pieces"} right, {c.missed} missed, {c.extra} extra).
        </p>
      )}
      <ul className="hints">
        {hints.map((h) => (
          <li key={h}>{h}</li>
        ))}
      </ul>
      {done ? (
        <>
          <p className="note">Tutorial complete! Your traces now count fully in real cubes.</p>
          <Link className="button" href="/play">
            Play real cubes
          </Link>
        </>
      ) : (
        <button type="button" onClick={onNext}>
          Next practice cube
        </button>
      )}
    </div>
  );
}
