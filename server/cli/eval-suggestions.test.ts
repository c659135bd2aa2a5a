import { describe, expect, it } from "vitest";
import { buildContactGraph, type ContactGraph, type Contact } from "@/core/suggestions";
import { parseEvalSuggestionsArgs, summarise, formatSuggestionsTable, type NeuronRow, type EvalSuggestionsResult } from "./eval-suggestions";
import { gameWindowView, play, playWith, playWithout, seedOf, PLAYER_RULES, type Move, type NeuronTruth } from "./suggestion-player";

// A neuron of supervoxels 1 (the seed, 100 voxels), 2 and 3 (50 each); 4 (60) and 5 (40) belong to
// another cell, 6 (4 voxels) and 7 (50) to the neuron. Contacts: [a, b, voxels, mean boundary].
const SIZES = new Map([[1, 100], [2, 50], [3, 50], [4, 60], [5, 40], [6, 4], [7, 50], [8, 200]]);
function graph(contacts: [number, number, number, number][]): ContactGraph {
  const adjacency = new Map<number, Map<number, Contact>>();
  for (const [a, b, count, mean] of contacts) {
    const c = { a, b, count, sum: count * mean };
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (!adjacency.has(x)) adjacency.set(x, new Map());
      adjacency.get(x)!.set(y, c);
    }
  }
  return { sizes: SIZES, adjacency };
}

const truth: NeuronTruth = { size: 254, overlap: new Map([[1, 100], [2, 50], [3, 50], [4, 2], [6, 4], [7, 50]]), sizes: SIZES };
const inNeuron = (ids: number[]) => ids.reduce((s, id) => s + (truth.overlap.get(id) ?? 0), 0);
const voxels = (ids: number[]) => ids.reduce((s, id) => s + (SIZES.get(id) ?? 0), 0);
// Chain 1–2–3–7 through little boundary (merge p 0.92), 4 behind a membrane, the speck 6 (p 0.89).
const CHAIN: [number, number, number, number][] = [
  [1, 2, 40, 0.02],
  [2, 3, 40, 0.02],
  [3, 7, 40, 0.02],
  [1, 4, 40, 0.95],
  [1, 6, 40, 0.05],
];
const PROB = { minContact: 1, groupMinContact: 1, rankBy: "probability" } as const;
/** A game where only Space takes the first highlight (before keys 1-3). */
const SPACE_ONLY = { ...PLAYER_RULES, pickAmong: 1 };
const spaceOnly = (t: NeuronTruth, g: ContactGraph, target: number, opts: object, on?: (m: Move) => void) => play(t, g, target, opts, SPACE_ONLY, on);

function record(run: (onMove: (m: Move) => void) => unknown): Move[] {
  const moves: Move[] = [];
  run((m) => moves.push(m));
  return moves;
}

describe("the simulated players", () => {
  it("start from the supervoxel with most of the neuron", () => {
    expect(seedOf(truth)).toBe(1);
  });

  it("without suggestions: clicks the confirmed touching supervoxel that raises the F1 most", () => {
    const g = graph(CHAIN);
    const moves = record((on) => playWithout(truth, g, 1, on));
    // 3 and 7 do not touch the seed: 2 first, then 3 and 7 as they come to touch, then the speck 6;
    // never 4 (2 of its 60 voxels inside).
    expect(moves.map((m) => m.ids)).toEqual([[2], [3], [7], [6]]);
    expect(moves.every((m) => m.kind === "click" && m.confirmed && m.gain > 0)).toBe(true);
    const r = playWithout(truth, g, 1);
    expect(r).toMatchObject({ clicks: 4, keys: 0, actions: 4, reached: true });
    expect(r.f1).toBeCloseTo(1, 9);
  });

  it("without suggestions: a piece that touches nothing selected is clicked only when nothing touching helps", () => {
    const moves = record((on) => playWithout(truth, graph([[1, 6, 40, 0]]), 1, on));
    expect(moves.map((m) => m.ids[0])).toEqual([6, 2, 3, 7]);
    const stuck: NeuronTruth = { size: 1000, overlap: new Map([[1, 100]]), sizes: new Map([[1, 100]]) };
    expect(playWithout(stuck, graph([]), 0.9)).toMatchObject({ clicks: 0, reached: false });
  });

  it("with suggestions: Space on a confirmed group that beats a click, never more actions than without", () => {
    const g = graph(CHAIN);
    const moves = record((on) => playWith(truth, g, 1, { ...PROB, groupThreshold: 0.8 }, on));
    // The first suggestion is 2 with its group [2, 3, 7]: one key for what takes three clicks; then
    // the speck 6 is suggested and exactly as good as the only click left: Space again.
    expect(moves.map((m) => [m.kind, m.ids])).toEqual([["accept", [2, 3, 7]], ["accept", [6]]]);
    const r = playWith(truth, g, 1, { ...PROB, groupThreshold: 0.8 });
    const without = playWithout(truth, g, 1);
    expect(r).toMatchObject({ accepted: 2, clicks: 0, keys: 2, reached: true });
    expect(r.actions).toBe(r.clicks + r.keys);
    expect(r.clicks).toBeLessThan(without.clicks);
    expect(r.actions).toBeLessThan(without.actions);
    expect(r.f1).toBeCloseTo(without.f1, 9);
  });

  it("with suggestions: a small confirmed suggestion is ignored (no dismissal), the better click taken", () => {
    // The speck 6 touches through no boundary at all (p 0.94): ranked by probability it comes first.
    const g = graph([...CHAIN.slice(0, -1), [1, 6, 40, 0]]);
    const moves = record((on) => spaceOnly(truth, g, 1, { ...PROB, groupThreshold: 2 }, on));
    expect(moves.map((m) => [m.kind, m.ids[0]])).toEqual([["click", 2], ["click", 3], ["click", 7], ["accept", 6]]);
    expect(moves.some((m) => m.kind === "dismiss")).toBe(false);
    const r = spaceOnly(truth, g, 1, { ...PROB, groupThreshold: 2 });
    const without = playWithout(truth, g, 1);
    expect(r.actions).toBeLessThanOrEqual(without.actions);
    expect(r.clicks).toBeLessThanOrEqual(without.clicks);
  });

  it("with keys 1-3: the best confirmed highlight is taken by its number, the small first one left alone", () => {
    const g = graph([...CHAIN.slice(0, -1), [1, 6, 40, 0]]);
    const moves = record((on) => playWith(truth, g, 1, { ...PROB, groupThreshold: 2 }, on));
    // Shown: 6 (the speck) first, then 2: key 2 takes 2 (as good as the best click), then 3 and 7 the same way.
    expect(moves.map((m) => [m.kind, m.ids[0], m.rank])).toEqual([
      ["accept", 2, 2],
      ["accept", 3, 2],
      ["accept", 7, 2],
      ["accept", 6, 1],
    ]);
    expect(playWith(truth, g, 1, { ...PROB, groupThreshold: 2 })).toMatchObject({ clicks: 0, keys: 4, dismissed: 0, reached: true });
  });

  it("with suggestions: only what ground truth confirms is accepted; X only when it pays", () => {
    // 5 (another cell) touches the seed through no boundary: it is the first suggestion and wrong.
    const misleading = graph([...CHAIN, [1, 5, 60, 0]]);
    const small = record((on) => spaceOnly(truth, misleading, 1, { ...PROB, groupThreshold: 2 }, on));
    // The second (2 alone) gains no more than the best click: X does not pay, the player clicks.
    expect(small.some((m) => m.kind === "dismiss")).toBe(false);
    expect(small.every((m) => m.kind !== "accept" || 2 * inNeuron(m.ids) > voxels(m.ids))).toBe(true);
    // With groups the second is [2, 3, 7], worth more than two best clicks: X (5), then Space.
    const grouped = record((on) => spaceOnly(truth, misleading, 1, { ...PROB, groupThreshold: 0.8 }, on));
    expect(grouped.slice(0, 2).map((m) => [m.kind, m.ids[0]])).toEqual([["dismiss", 5], ["accept", 2]]);
    expect(grouped.filter((m) => m.kind === "accept").every((m) => m.confirmed && 2 * inNeuron(m.ids) > voxels(m.ids))).toBe(true);
    expect(grouped.flatMap((m) => (m.kind === "dismiss" ? [] : m.ids))).not.toContain(5);
    const r = spaceOnly(truth, misleading, 1, { ...PROB, groupThreshold: 0.8 });
    expect(r).toMatchObject({ dismissed: 1, accepted: 2, clicks: 0, keys: 3, reached: true });
    expect(r.actions).toBeLessThanOrEqual(playWithout(truth, misleading, 1).actions);
    // With keys 1-3 the group is taken by its number: no X needed, and 5 is still never taken.
    const keyed = record((on) => playWith(truth, misleading, 1, { ...PROB, groupThreshold: 0.8 }, on));
    expect(keyed[0]).toMatchObject({ kind: "accept", ids: [2, 3, 7], rank: 2 });
    expect(keyed.some((m) => m.kind === "dismiss" || m.ids.includes(5))).toBe(false);
  });

  it("with keys 1-3: X on a wrong first only when the suggestion it brings within reach pays", () => {
    // Two keys, two wrong highlights (5, 8: no boundary); the group [2, 3, 7] is third.
    const g = graph([...CHAIN, [1, 5, 60, 0], [1, 8, 60, 0.01]]);
    const opts = { ...PROB, groupThreshold: 0.8, limit: 2 };
    const rules = { ...PLAYER_RULES, pickAmong: 2 };
    const moves = record((on) => play(truth, g, 1, opts, rules, on));
    expect(moves.slice(0, 2).map((m) => [m.kind, m.ids[0], m.rank])).toEqual([
      ["dismiss", 5, undefined],
      ["accept", 2, 2],
    ]);
    // Where what comes up is worth no more than two clicks, no X.
    const poor = record((on) => play(truth, g, 1, { ...opts, groupThreshold: 2 }, rules, on));
    expect(poor.some((m) => m.kind === "dismiss")).toBe(false);
  });

  it("with suggestions: a group that would raise the F1 but is not mostly inside the neuron is never taken", () => {
    // 8 (200 voxels, 90 inside) would raise the F1 from 0.45 to 0.59, about as much as the best click
    // (0.61): but ground truth does not confirm it (under half inside), so no Space and no click on it.
    const half: NeuronTruth = { size: 344, overlap: new Map([...truth.overlap, [8, 90]]), sizes: SIZES };
    const g = graph([...CHAIN, [1, 8, 60, 0]]);
    for (const opts of [{ ...PROB, groupThreshold: 2 }, {}]) {
      const moves = record((on) => playWith(half, g, 0.7, opts, on));
      expect(moves.flatMap((m) => (m.kind === "dismiss" ? [] : m.ids))).not.toContain(8);
      expect(moves.every((m) => m.kind === "dismiss" || m.confirmed)).toBe(true);
      expect(playWith(half, g, 0.7, opts)).toMatchObject({ reached: true });
    }
  });
});

describe("--window: suggestions from the game's window around the viewed slice", () => {
  // A 3×4×10 slab (x, y, z). x = 0: the seed 1 through every slice (centroid z 4.5, viewed slice 5).
  // x = 1: 3 (the neuron, z 8-9) on top of 4 (another cell, z 0-7); x = 2: 5 (another cell). The
  // neuron's voxels carry no boundary, the others full boundary: 3 is a sure continuation of 1.
  const dims = { x: 3, y: 4, z: 10 };
  const labels = new Uint32Array(dims.x * dims.y * dims.z);
  const boundary = new Uint8Array(labels.length);
  for (let z = 0, i = 0; z < dims.z; z++)
    for (let y = 0; y < dims.y; y++)
      for (let x = 0; x < dims.x; x++, i++) {
        labels[i] = x === 0 ? 1 : x === 2 ? 5 : z >= 8 ? 3 : 4;
        boundary[i] = labels[i] === 1 || labels[i] === 3 ? 0 : 255;
      }
  const sizes = new Map([[1, 40], [3, 8], [4, 32], [5, 40]]);
  const neuron: NeuronTruth = { size: 48, overlap: new Map([[1, 40], [3, 8]]), sizes };
  const slab = buildContactGraph(labels, boundary, dims, { boundaryScale: 1 / 255 });

  it("ranks on ±radius slices around the centroid of the supervoxel added last", () => {
    const view = gameWindowView(labels, boundary, dims, 1);
    expect([...view(1).sizes.keys()].sort()).toEqual([1, 4, 5]); // z 4-6: 3 is out of view
    expect(view(1).sizes.get(1)).toBe(12); // sizes inside the window, as the game's worker counts them
    expect([...view(3).sizes.keys()].sort()).toEqual([1, 3, 5]); // 3's centroid z 8.5: z 8-9 (clipped)
    expect(gameWindowView(labels, boundary, dims, 9)(1).sizes).toEqual(slab.sizes);
  });

  it("never suggests a supervoxel outside the window: the player clicks it instead", () => {
    const whole = record((on) => playWith(neuron, slab, 1, {}, on));
    expect(whole.map((m) => [m.kind, m.ids])).toEqual([["accept", [3]]]);
    const windowed = record((on) => playWith(neuron, slab, 1, {}, on, gameWindowView(labels, boundary, dims, 1)));
    expect(windowed.map((m) => [m.kind, m.ids])).toEqual([["click", [3]]]);
    // ±4 around slice 5 reaches z 8-9: 3 is suggested again.
    expect(playWith(neuron, slab, 1, {}, undefined, gameWindowView(labels, boundary, dims, 4))).toMatchObject({ accepted: 1, clicks: 0 });
  });
});

describe("the summary", () => {
  const play = (clicks: number, keys: number, reached = true) => ({ clicks, keys, accepted: keys, dismissed: 0, actions: clicks + keys, f1: 0.9, reached });
  const row = (body: number, without: ReturnType<typeof play>, withS: ReturnType<typeof play>): NeuronRow => ({ body, voxels: 1, supervoxels: 1, without, with: withS });

  it("counts clicks and all actions over the neurons reached both ways, and says when suggestions cost more", () => {
    const rows = [row(1, play(4, 0), play(1, 5)), row(2, play(2, 0), play(1, 0)), row(3, play(9, 0, false), play(0, 1))];
    const s = summarise(rows);
    expect(s).toMatchObject({ compared: 2, clicksWithout: 6, clicksWith: 2, actionsWithout: 6, actionsWith: 7, moreActionsWith: true });
    expect(s.clickRatio).toBe(3);
    expect(s.actionRatio).toBeCloseTo(6 / 7, 12);
    const r = { dataset: "d", name: "n", z: [0, 1], slab: null, target: 0.9, model: "m", window: null, neurons: rows, summary: s } satisfies EvalSuggestionsResult;
    const table = formatSuggestionsTable(r);
    expect(table).toMatch(/mouse clicks: +6 without, 2 with → 3\.00× fewer clicks/);
    expect(table).toMatch(/all actions: +6 without, 7 with/);
    expect(table).toMatch(/MORE actions/);
    expect(formatSuggestionsTable({ ...r, summary: summarise(rows.slice(1)) })).not.toMatch(/MORE actions/);
    expect(table).toMatch(/whole slab/);
    expect(formatSuggestionsTable({ ...r, window: 4 })).toMatch(/±4 slices around the slice through the centroid/);
  });
});

describe("parseEvalSuggestionsArgs", () => {
  it("has defaults and checks its arguments", () => {
    expect(parseEvalSuggestionsArgs([])).toMatchObject({ "--dataset": "neuroproof-medulla", "--neurons": 20, "--target": 0.9, "--json": false });
    expect(parseEvalSuggestionsArgs(["--z", "150-174", "--neurons", "5", "--json"])).toMatchObject({ "--z": [150, 174], "--neurons": 5, "--json": true });
    expect(parseEvalSuggestionsArgs(["--help"])).toBe("help");
    expect(() => parseEvalSuggestionsArgs(["--z", "174-150"])).toThrow(/first slice must not be after the last/);
    expect(() => parseEvalSuggestionsArgs(["--target", "1.5"])).toThrow(/\(0, 1\]/);
    expect(() => parseEvalSuggestionsArgs(["--neurons", "0"])).toThrow(/at least 1/);
    expect(() => parseEvalSuggestionsArgs(["--dataset", "Bad Slug"])).toThrow(/slug/);
    expect(() => parseEvalSuggestionsArgs(["--frobnicate"])).toThrow(/see --help/);
  });
});
