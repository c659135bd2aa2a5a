/**
 * The simulated players of `npm run eval:suggestions` (pure: no I/O). Both know the ground truth and
 * follow the same rules; the only difference is whether they see the game's suggestions.
 *
 * The rules were fixed before the evaluation was run (they replace a player that accepted every
 * confirmed suggestion however small, and so spent many key presses where one click would do). One
 * change since: when the game gave each highlight a number key (1-3), rule 1 took the best of the
 * three instead of only the first, and rule 2 looks at what an X brings within reach; that was
 * measured on the train and validation slabs only before the test slab was run with it.
 *
 *   confirmed    a supervoxel (or a suggestion's group) is confirmed by ground truth when more than
 *                half of its voxels belong to the neuron. Nothing unconfirmed is ever added.
 *   best click   among the confirmed supervoxels that touch the selection (contact graph), the one
 *                whose addition raises the voxel F1 most (ties: smaller id). When none touching
 *                helps, any confirmed supervoxel of the neuron in the slab (a piece that re-enters the
 *                slab elsewhere: the player scrolls to it). One mouse click adds one supervoxel.
 *   without      click the best click, until F1 ≥ target or no click raises the F1.
 *   with         the player sees what the game highlights: rankSuggestions (core/suggestions.ts) with
 *                the game's options and its top-k (3), minus what it dismissed, each numbered; keys
 *                1-3 accept that one (Space = 1), so each step:
 *                1. A key on the highlighted suggestion (among the first `pickAmong`) that is
 *                   confirmed and about as good as the best click (its F1 gain is at least
 *                   `acceptShare` (½) of the best click's, and it does not leave the target unreached
 *                   where the best click would reach it); of several such, the one that gains most.
 *                2. X when no highlighted suggestion passes rule 1, the first is NOT confirmed and
 *                   dismissing it pays for itself: the suggestion that then comes within reach (the
 *                   last of the keys' range after the game ranks again) would pass rule 1 with at
 *                   least `dismissPays` (2×) the best click's gain (X + a key buy what two clicks would).
 *                3. otherwise the best click (a mouse click; no dismissal needed to click).
 *                A confirmed but small first suggestion is simply ignored, not dismissed.
 * Both stop at the target F1, or when no action raises it ("not reached").
 */
import { rankSuggestions, suggestionWindow, windowContactGraph, type ContactGraph, type Dims, type SuggestOptions } from "@/core/suggestions";

export type NeuronTruth = {
  /** Voxels of the neuron in the slab. */
  size: number;
  /** Supervoxel → voxels of it inside the neuron. */
  overlap: Map<number, number>;
  /** Supervoxel → all its voxels in the slab. */
  sizes: ReadonlyMap<number, number>;
};

export type PlayerRules = {
  /** Accept the first suggestion when its gain is at least this share of the best click's. */
  acceptShare: number;
  /** Dismiss a wrong first suggestion when the next one would gain at least this many best clicks. */
  dismissPays: number;
  /** How many of the highlighted suggestions a key can accept (1: Space takes the first only). */
  pickAmong: number;
};

export const PLAYER_RULES: PlayerRules = { acceptShare: 0.5, dismissPays: 2, pickAmong: 3 };

export type PlayResult = {
  /** Mouse clicks (one supervoxel each). */
  clicks: number;
  /** Key presses: accepted (keys 1-3, Space = 1) + dismissed (X). */
  keys: number;
  accepted: number;
  dismissed: number;
  /** clicks + keys. */
  actions: number;
  f1: number;
  reached: boolean;
};

/** One action of a player, for tests and debugging. */
export type Move = {
  kind: "click" | "accept" | "dismiss";
  ids: number[];
  gain: number;
  confirmed: boolean;
  /** accept: which highlighted suggestion the key took (1 = the first, Space). */
  rank?: number;
};

const MAX_ACTIONS = 5000;
const EPS = 1e-12;

type Option = { ids: number[]; gain: number; confirmed: boolean; f1: number };

/** A growing selection and its voxel F1 against one neuron. */
class Trace {
  private inter = 0;
  private voxels = 0;
  readonly selected = new Set<number>();
  /** Not selected, touching the selection. */
  private readonly frontier = new Set<number>();

  constructor(
    private readonly t: NeuronTruth,
    private readonly graph: ContactGraph,
  ) {}

  add(ids: Iterable<number>): void {
    for (const id of ids) {
      if (this.selected.has(id)) continue;
      this.selected.add(id);
      this.frontier.delete(id);
      this.inter += this.t.overlap.get(id) ?? 0;
      this.voxels += this.t.sizes.get(id) ?? 0;
      for (const n of this.graph.adjacency.get(id)?.keys() ?? []) if (!this.selected.has(n)) this.frontier.add(n);
    }
  }

  f1(): number {
    return (2 * this.inter) / (this.voxels + this.t.size);
  }

  /** What adding `ids` would do. */
  option(ids: number[]): Option {
    let inter = 0;
    let voxels = 0;
    for (const id of ids) {
      if (this.selected.has(id)) continue;
      inter += this.t.overlap.get(id) ?? 0;
      voxels += this.t.sizes.get(id) ?? 0;
    }
    const f1 = (2 * (this.inter + inter)) / (this.voxels + voxels + this.t.size);
    return { ids, gain: f1 - this.f1(), confirmed: voxels > 0 && 2 * inter > voxels, f1 };
  }

  /** The best click (see the module comment), or null when no click raises the F1. */
  bestClick(): Option | null {
    return this.bestAmong(this.frontier) ?? this.bestAmong(this.t.overlap.keys());
  }

  private bestAmong(ids: Iterable<number>): Option | null {
    let best: Option | null = null;
    for (const id of ids) {
      if (this.selected.has(id)) continue;
      const o = this.option([id]);
      if (!o.confirmed || o.gain <= EPS) continue;
      if (!best || o.gain > best.gain + EPS || (Math.abs(o.gain - best.gain) <= EPS && id < best.ids[0]!)) best = o;
    }
    return best;
  }
}

/** The supervoxel with the most voxels of the neuron (ties: smaller id): the cube's seed. */
export function seedOf(t: NeuronTruth): number {
  let seed = 0;
  let most = -1;
  for (const [id, o] of t.overlap) if (o > most || (o === most && id < seed)) (seed = id), (most = o);
  return seed;
}

/** Rule 1: a highlighted suggestion is worth a key instead of the best click. */
function worthAccepting(s: Option, click: Option | null, target: number, rules: PlayerRules): boolean {
  if (!s.confirmed || s.gain <= EPS) return false;
  if (!click) return true;
  if (click.f1 >= target && s.f1 < target) return false;
  return s.gain >= rules.acceptShare * click.gain;
}

/**
 * What the game ranks on when the player last added `last` (a supervoxel id): the contact graph of the
 * game's window around the slice it views (eval --window), or the whole slab's graph (no `view`).
 */
export type ViewOf = (last: number) => ContactGraph;

/**
 * The game's view for `eval:suggestions --window`: the player looks at the slice through the centroid
 * (mean z in the slab) of the supervoxel it added last, and the suggestions are ranked, as the game's
 * worker ranks them, on the contact graph of ±`radius` slices around it (core suggestionWindow and
 * windowContactGraph), clipped to the slab. `labels`/`boundary` span the slab (zyx); one graph per
 * window, cached.
 */
export function gameWindowView(labels: Uint32Array, boundary: Uint8Array | Float32Array, dims: Dims, radius: number, boundaryScale = 1 / 255): ViewOf {
  const plane = dims.x * dims.y;
  const zSum = new Map<number, { sum: number; n: number }>();
  for (let z = 0, i = 0; z < dims.z; z++) {
    for (let k = 0; k < plane; k++, i++) {
      const l = labels[i]!;
      if (l === 0) continue;
      const e = zSum.get(l);
      if (e) (e.sum += z), e.n++;
      else zSum.set(l, { sum: z, n: 1 });
    }
  }
  const slice = (z: number) => ({ labels: labels.subarray(z * plane, (z + 1) * plane), boundary: boundary.subarray(z * plane, (z + 1) * plane) });
  const graphs = new Map<number, ContactGraph>();
  return (last) => {
    const e = zSum.get(last);
    const win = suggestionWindow(e ? e.sum / e.n : 0, radius, dims.z)!;
    let g = graphs.get(win.z);
    if (!g) graphs.set(win.z, (g = windowContactGraph(win.zFrom, win.zTo, dims, slice, boundaryScale).graph));
    return g;
  };
}

/**
 * One player; with `graph` and `suggest` it sees the suggestions, without them it only clicks.
 * `onMove` sees every action in order. `view`: the graph the suggestions come from, given the
 * supervoxel added last (the seed at first; for an accepted group, the suggested supervoxel);
 * clicks, F1 and confirmation always use the whole slab.
 */
export function play(
  t: NeuronTruth,
  graph: ContactGraph,
  target: number,
  suggest: SuggestOptions | null,
  rules: PlayerRules = PLAYER_RULES,
  onMove: (m: Move) => void = () => {},
  view?: ViewOf,
): PlayResult {
  const tr = new Trace(t, graph);
  let last = seedOf(t);
  tr.add([last]);
  const dismissed = new Set<number>();
  let clicks = 0;
  let accepted = 0;
  let rejected = 0;
  while (tr.f1() < target && clicks + accepted + rejected < MAX_ACTIONS) {
    const click = tr.bestClick();
    if (suggest) {
      // Exactly what the game highlights: its options, its top-k, minus the dismissed ones.
      const shown = rankSuggestions(view ? view(last) : graph, tr.selected, { ...suggest, exclude: dismissed });
      const first = shown[0] ? tr.option(shown[0].group) : null;
      let pick: Option | null = null;
      let pickAt = -1;
      for (let k = 0; k < Math.min(rules.pickAmong, shown.length); k++) {
        const o = k === 0 ? first! : tr.option(shown[k]!.group);
        if (worthAccepting(o, click, target, rules) && (!pick || o.gain > pick.gain + EPS)) (pick = o), (pickAt = k);
      }
      if (pick) {
        tr.add(pick.ids);
        last = shown[pickAt]!.supervoxel;
        accepted++;
        onMove({ kind: "accept", ...pick, rank: pickAt + 1 });
        continue;
      }
      // X on a wrong first suggestion: what the game would highlight next comes up within reach.
      if (first && !first.confirmed) {
        const after = rankSuggestions(view ? view(last) : graph, tr.selected, { ...suggest, exclude: new Set([...dismissed, shown[0]!.supervoxel]) });
        const revealed = after[Math.min(rules.pickAmong, after.length) - 1];
        const next = revealed ? tr.option(revealed.group) : null;
        if (next && worthAccepting(next, click, target, rules) && (!click || next.gain >= rules.dismissPays * click.gain)) {
          dismissed.add(shown[0]!.supervoxel);
          rejected++;
          onMove({ kind: "dismiss", ...first, gain: 0 });
          continue;
        }
      }
    }
    if (!click) break;
    tr.add(click.ids);
    last = click.ids[0]!;
    clicks++;
    onMove({ kind: "click", ...click });
  }
  const f1 = tr.f1();
  const keys = accepted + rejected;
  return { clicks, keys, accepted, dismissed: rejected, actions: clicks + keys, f1, reached: f1 >= target };
}

/** The player without suggestions. */
export function playWithout(t: NeuronTruth, graph: ContactGraph, target: number, onMove?: (m: Move) => void): PlayResult {
  return play(t, graph, target, null, PLAYER_RULES, onMove);
}

/** The player with the game's suggestions (`suggest`: the game's options; {} = its defaults). */
export function playWith(
  t: NeuronTruth,
  graph: ContactGraph,
  target: number,
  suggest: SuggestOptions = {},
  onMove?: (m: Move) => void,
  view?: ViewOf,
): PlayResult {
  return play(t, graph, target, suggest, PLAYER_RULES, onMove, view);
}
