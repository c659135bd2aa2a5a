import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bestSplit,
  buildContactGraph,
  candidateProbability,
  CONTACT_BINS,
  contactQuantile,
  evidenceProbability,
  mergeFeatures,
  mergeProbability,
  proposeSplit,
  type Contact,
  type ContactGraph,
  type SuggestOptions,
  rankSuggestions,
  suggestionWindow,
  windowContactGraph,
  windowCoords,
  type Dims,
} from "./suggestions";

/** A window from rows of characters: one string per row, slices separated; digits are labels. */
function grid(slices: string[][]): { labels: Uint32Array; dims: Dims } {
  const z = slices.length;
  const y = slices[0]!.length;
  const x = slices[0]![0]!.length;
  const labels = new Uint32Array(x * y * z);
  slices.forEach((rows, zi) => rows.forEach((row, yi) => [...row].forEach((c, xi) => (labels[(zi * y + yi) * x + xi] = Number(c)))));
  return { labels, dims: { x, y, z } };
}

describe("buildContactGraph", () => {
  it("counts face contacts with their mean boundary, per pair, both directions", () => {
    const { labels, dims } = grid([["1122", "1122"]]);
    const boundary = new Float32Array(labels.length).fill(0.2);
    boundary[1] = 1; // the voxel of 1 next to 2 on row 0
    const g = buildContactGraph(labels, boundary, dims);
    const c = g.adjacency.get(1)!.get(2)!;
    expect(g.adjacency.get(2)!.get(1)).toBe(c);
    expect(c.count).toBe(2);
    // Row 0: (1.0 + 0.2)/2, row 1: (0.2 + 0.2)/2.
    expect(c.sum).toBeCloseTo(0.6 + 0.2, 6);
    expect(g.sizes.get(1)).toBe(4);
    expect(g.sizes.get(2)).toBe(4);
  });

  it("bridges one label-0 voxel and takes its evidence, but never two", () => {
    const { labels, dims } = grid([["1023", "1003"]]);
    const boundary = new Float32Array(labels.length);
    boundary[1] = 0.9;
    const g = buildContactGraph(labels, boundary, dims);
    expect(g.adjacency.get(1)!.get(2)).toMatchObject({ count: 1, sum: expect.closeTo(0.9, 6) });
    // Row 1: 1 0 0 3 has a two-voxel gap: no contact between 1 and 3.
    expect(g.adjacency.get(1)!.has(3)).toBe(false);
    expect(g.adjacency.get(2)!.get(3)!.count).toBe(1);
    expect(buildContactGraph(labels, boundary, dims, { bridgeZero: false }).adjacency.get(1)).toBeUndefined();
  });

  it("links across slices (z) and scales byte maps", () => {
    const { labels, dims } = grid([["11"], ["22"]]);
    const boundary = new Uint8Array([255, 255, 0, 0]);
    const g = buildContactGraph(labels, boundary, dims, { boundaryScale: 1 / 255 });
    expect(g.adjacency.get(1)!.get(2)).toMatchObject({ count: 2, sum: expect.closeTo(1, 6) });
  });

  it("rejects a window whose arrays do not fit", () => {
    expect(() => buildContactGraph(new Uint32Array(5), new Float32Array(6), { x: 3, y: 2, z: 1 })).toThrow(/labels have 5/);
    expect(() => buildContactGraph(new Uint32Array(6), new Float32Array(5), { x: 3, y: 2, z: 1 })).toThrow(/boundary has 5/);
  });

  it("is symmetric and counts every adjacent differing pair once (random windows)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 24, maxLength: 24 }), (cells) => {
        const labels = Uint32Array.from(cells);
        const dims = { x: 4, y: 3, z: 2 };
        const g = buildContactGraph(labels, new Float32Array(24), dims, { bridgeZero: false });
        let pairs = 0;
        for (let i = 0; i < 24; i++) {
          const { x, y, z } = windowCoords(i, dims);
          for (const [ok, j] of [[x < 3, i + 1], [y < 2, i + 4], [z < 1, i + 12]] as const) {
            if (ok && labels[i] && labels[j] && labels[i] !== labels[j]) pairs++;
          }
        }
        let counted = 0;
        for (const [a, row] of g.adjacency) for (const [b, c] of row) if (a < b) counted += c.count;
        expect(counted).toBe(pairs);
      }),
    );
  });
});

describe("the suggestion window (game worker and eval --window)", () => {
  it("is the contiguous run of usable slices around z, at most radius either side, inside the cube", () => {
    expect(suggestionWindow(5, 4, 20)).toEqual({ z: 5, zFrom: 1, zTo: 9 });
    expect(suggestionWindow(1.4, 4, 20)).toEqual({ z: 1, zFrom: 0, zTo: 5 });
    expect(suggestionWindow(30, 2, 20)).toEqual({ z: 19, zFrom: 17, zTo: 19 });
    expect(suggestionWindow(5, 4, 20, (z) => z !== 3 && z !== 8)).toEqual({ z: 5, zFrom: 4, zTo: 7 });
    expect(suggestionWindow(5, 4, 20, (z) => z !== 5)).toBeNull();
  });

  it("builds the graph of its slices only: sizes and contacts cut at the window edge", () => {
    // Slices 0-2 of a 2×1 plane: 1|2, 1|3, 4|3 (boundary in bytes, scale 1/255).
    const slices = [[1, 2], [1, 3], [4, 3]].map((l) => ({ labels: new Uint32Array(l), boundary: new Uint8Array([51, 51]) }));
    const w = windowContactGraph(1, 2, { x: 2, y: 1 }, (z) => slices[z]!, 1 / 255);
    expect(w.dims).toEqual({ x: 2, y: 1, z: 2 });
    expect([...w.graph.sizes.entries()].sort((a, b) => a[0] - b[0])).toEqual([[1, 1], [3, 2], [4, 1]]);
    expect(w.graph.adjacency.has(2)).toBe(false);
    const c = w.graph.adjacency.get(1)!.get(3)!;
    expect(c.count).toBe(1);
    expect(c.sum).toBeCloseTo(0.2, 6);
    expect(() => windowContactGraph(2, 1, { x: 2, y: 1 }, (z) => slices[z]!)).toThrow(/empty window/);
  });
});

describe("evidenceProbability (contacts without a histogram)", () => {
  it("is 1 − mean evidence for a large contact and the prior for none", () => {
    expect(evidenceProbability({ count: 0, sum: 0 })).toBeCloseTo(0.3, 9);
    expect(evidenceProbability({ count: 1e6, sum: 0.1e6 })).toBeCloseTo(0.9, 4);
    expect(evidenceProbability({ count: 1e6, sum: 0.9e6 })).toBeCloseTo(0.1, 4);
  });

  it("trusts a small contact less than a large one with the same evidence", () => {
    expect(evidenceProbability({ count: 2, sum: 0 })).toBeLessThan(evidenceProbability({ count: 200, sum: 0 }));
    expect(() => evidenceProbability({ count: -1, sum: 0 })).toThrow();
  });

  it("is what a hand-made contact (no histogram) gets", () => {
    expect(candidateProbability({ count: 40, sum: 2 }, 50, 100, 80)).toBeCloseTo(evidenceProbability({ count: 40, sum: 2 }), 12);
  });
});

describe("calibrated merge probability", () => {
  const hist = (values: number[]) => {
    const h = new Uint32Array(CONTACT_BINS);
    for (const v of values) h[Math.min(CONTACT_BINS - 1, Math.floor(v * CONTACT_BINS))]!++;
    return { count: values.length, sum: values.reduce((s, v) => s + v, 0), hist: h };
  };

  it("reads the lower quartile of the contact from its histogram, the mean without one", () => {
    // Three quarters open (0.02), a quarter membrane (0.9): the mean looks doubtful, the quartile open.
    const c = hist([...Array<number>(30).fill(0.02), ...Array<number>(10).fill(0.9)]);
    expect(c.sum / c.count).toBeCloseTo(0.24, 6);
    expect(contactQuantile(c, 0.25)).toBeLessThan(1 / CONTACT_BINS);
    expect(contactQuantile(c, 0.9)).toBeGreaterThan(0.85);
    expect(contactQuantile({ count: 4, sum: 2 }, 0.25)).toBe(0.5);
  });

  it("stays in (0, 1), falls with the evidence and with the candidate's size, rises with the share of its surface touching", () => {
    const f = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(f, f, f, fc.double({ min: -8, max: 8, noNaN: true }), (e1, e2, touch, sizeRatio) => {
        const [lo, hi] = e1 < e2 ? [e1, e2] : [e2, e1];
        const at = (e: number, t = touch, r = sizeRatio) => mergeProbability({ mean: e, q25: e, sizeRatio: r, touch: t });
        expect(at(lo)).toBeGreaterThanOrEqual(at(hi));
        expect(at(lo, touch, sizeRatio - 1)).toBeGreaterThanOrEqual(at(lo));
        expect(at(lo, Math.min(1, touch + 0.2))).toBeGreaterThanOrEqual(at(lo));
        for (const p of [at(lo), at(hi)]) expect(p >= 0 && p <= 1).toBe(true);
      }),
    );
  });

  it("gives a huge neighbour brushing the selection less than a piece of its size that wraps into it", () => {
    const open = hist(Array<number>(200).fill(0.05));
    const wraps = mergeFeatures(open, 2000, 4000, 250);
    const brushes = mergeFeatures(open, 400000, 4000, 20000);
    expect(wraps.touch).toBeCloseTo(0.8, 9);
    expect(mergeProbability(wraps)).toBeGreaterThan(0.9);
    expect(mergeProbability(brushes)).toBeLessThan(0.3);
  });

  it("buildContactGraph keeps the histogram of every contact (it sums to the count)", () => {
    const { labels, dims } = grid([["1122", "1122"]]);
    const boundary = new Float32Array(labels.length).fill(0.2);
    boundary[1] = 1;
    const c = buildContactGraph(labels, boundary, dims).adjacency.get(1)!.get(2)!;
    expect([...c.hist!].reduce((s, v) => s + v, 0)).toBe(c.count);
    expect(c.hist![Math.floor(0.6 * CONTACT_BINS)]).toBe(1);
    expect(c.hist![Math.floor(0.2 * CONTACT_BINS)]).toBe(1);
  });
});

describe("rankSuggestions", () => {
  // Selection 1 in the middle column; 2 joins it through a weak boundary, 3 through a strong one,
  // 4 joins 2 through no boundary at all (a group), 5 touches only 3.
  const slice = ["22221111333355", "22221111333355", "22221111333355", "22221111333355", "44441111333355", "44441111333355", "44441111333355", "44441111333355"];
  const { labels, dims } = grid([slice, slice]);
  const boundary = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const { x } = windowCoords(i, dims);
    if (x === 7 || x === 8) boundary[i] = 0.95; // membrane between 1 and 3
    if (x === 3 || x === 4) boundary[i] = 0.1; // faint line between 2/4 and 1
  }
  const graph = buildContactGraph(labels, boundary, dims);

  it("ranks the neighbour across the faint line first and adds what joins it as its group", () => {
    const s = rankSuggestions(graph, new Set([1]), { minContact: 1, groupMinContact: 1, groupThreshold: 0.72, minProbability: 0 });
    expect(s.map((x) => x.supervoxel)).toEqual([2, 3]);
    expect(s[0]!.group).toEqual([2, 4]);
    expect(s[0]!.voxels).toBe(64);
    // Evidence 0.1 along the contact, half of 2's surface (the other half is with 4): calibrated ≈ 0.71.
    expect(s[0]!.probability).toBeGreaterThan(0.6);
    expect(s[1]!.probability).toBeLessThan(0.05);
    // 4 is in 2's group, so it is not suggested on its own.
    expect(s.some((x) => x.supervoxel === 4)).toBe(false);
  });

  it("leaves out weak, small, excluded and selected neighbours", () => {
    // Defaults: 2 and 4 (p 0.7) but not 3 (p 0.1); 4 does not join 2's group (its contact, 8, is under groupMinContact 12).
    expect(rankSuggestions(graph, new Set([1])).map((x) => x.supervoxel)).toEqual([2, 4]);
    expect(rankSuggestions(graph, new Set([1]), { minContact: 1, minProbability: 0, exclude: new Set([2]) }).map((x) => x.supervoxel)).toEqual([4, 3]);
    expect(rankSuggestions(graph, new Set([1]), { minContact: 100 })).toEqual([]);
    expect(rankSuggestions(graph, new Set([1, 2, 4]), { minContact: 1, minProbability: 0 }).map((x) => x.supervoxel)).toEqual([3]);
  });

  it("sums the contact over the whole selection and honours the limit", () => {
    const s = rankSuggestions(graph, new Set([1, 5]), { minContact: 1, minProbability: 0, groupThreshold: 2 });
    const three = s.find((x) => x.supervoxel === 3)!;
    expect(three.contact).toBe(32); // 16 with 1, 16 with 5
    expect(rankSuggestions(graph, new Set([1]), { minContact: 1, minProbability: 0, limit: 1 })).toHaveLength(1);
  });

  it("by default ranks the likely best continuation first: not the likelier speck, not the huge unlikely neighbour", () => {
    // Selection 1 (1000 voxels). 2: a speck wrapped into it, no boundary; 3: a large piece through a
    // faint line; 4: a huge cell that brushes the selection through a doubtful contact.
    const at = (a: number, b: number, count: number, e: number): Contact => {
      const hist = new Uint32Array(CONTACT_BINS);
      hist[Math.min(CONTACT_BINS - 1, Math.floor(e * CONTACT_BINS))] = count;
      return { a, b, count, sum: count * e, hist };
    };
    const contacts = [at(1, 2, 30, 0), at(1, 3, 120, 0.08), at(3, 9, 40, 0.9), at(1, 4, 60, 0.1), at(4, 9, 5000, 0.9)];
    const adjacency = new Map<number, Map<number, Contact>>();
    for (const c of contacts) for (const [x, y] of [[c.a, c.b], [c.b, c.a]] as const) (adjacency.get(x) ?? adjacency.set(x, new Map()).get(x)!).set(y, c);
    const g: ContactGraph = { sizes: new Map([[1, 1000], [2, 20], [3, 800], [4, 60000], [9, 100000]]), adjacency };
    const opts = { minProbability: 0, groupThreshold: 2 };
    const ranked = (rankBy?: SuggestOptions["rankBy"]) => rankSuggestions(g, new Set([1]), { ...opts, ...(rankBy ? { rankBy } : {}) }).map((x) => x.supervoxel);
    const [p2, p3, p4] = [2, 3, 4].map((id) => rankSuggestions(g, new Set([1]), { ...opts, rankBy: "probability" }).find((x) => x.supervoxel === id)!.probability);
    expect(p2).toBeGreaterThan(p3!);
    expect(p3).toBeGreaterThan(0.8);
    expect(p4).toBeLessThan(0.2);
    expect(ranked()[0]).toBe(3);
    expect(ranked("probability")).toEqual([2, 3, 4]);
    expect(ranked("expected-voxels")[0]).toBe(4);
  });

  it("without groups (threshold above 1) every suggestion is one supervoxel", () => {
    const s = rankSuggestions(graph, new Set([1]), { minContact: 1, minProbability: 0, groupThreshold: 1.01 });
    expect(s.every((x) => x.group.length === 1)).toBe(true);
    expect(s.map((x) => x.supervoxel)).toEqual([2, 4, 3]);
  });
});

describe("proposeSplit", () => {
  // Supervoxel 7 covers two cells with a membrane (column 5) through it; 1 touches its left part.
  const rows = ["1777777777", "1777777777", "1777777777", "1777777777"];
  const { labels, dims } = grid([rows, rows, rows]);
  const membrane = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) if (windowCoords(i, dims).x === 5) membrane[i] = 0.9;

  it("finds the membrane inside a supervoxel and keeps the side that touches the selection", () => {
    const p = proposeSplit(labels, membrane, dims, 7, new Set([1]), { minSideVoxels: 10 })!;
    expect(p).not.toBeNull();
    expect(p.cutVoxels).toBe(12);
    expect(p.cutEvidence).toBeCloseTo(0.9, 6);
    // Left part: x 1..4 (4 columns), right: x 6..9 (4), the cut column goes to one of them.
    expect(p.keepVoxels + p.dropVoxels).toBe(9 * 12);
    expect(windowCoords(p.keepVoxel, dims).x).toBeLessThan(5);
    expect(windowCoords(p.dropVoxel, dims).x).toBeGreaterThan(5);
    for (let i = 0; i < labels.length; i++) {
      const { x } = windowCoords(i, dims);
      if (labels[i] !== 7) expect(p.sides[i]).toBe(0);
      else if (x < 5) expect(p.sides[i]).toBe(1);
      else if (x > 5) expect(p.sides[i]).toBe(2);
    }
  });

  it("keeps the larger side when nothing else is selected", () => {
    const shifted = new Float32Array(labels.length);
    for (let i = 0; i < labels.length; i++) if (windowCoords(i, dims).x === 3) shifted[i] = 0.9;
    const p = proposeSplit(labels, shifted, dims, 7, new Set(), { minSideVoxels: 10 })!;
    expect(windowCoords(p.keepVoxel, dims).x).toBeGreaterThan(3);
    expect(p.keepVoxels).toBeGreaterThan(p.dropVoxels);
  });

  it("offers nothing without an inner boundary, or when one side is too small", () => {
    expect(proposeSplit(labels, new Float32Array(labels.length), dims, 7, new Set([1]), { minSideVoxels: 10 })).toBeNull();
    expect(proposeSplit(labels, membrane, dims, 7, new Set([1]), { minSideVoxels: 100 })).toBeNull();
    // A boundary that does not cut through (gap at y = 0) leaves one piece.
    const partial = membrane.slice();
    for (let i = 0; i < labels.length; i++) if (windowCoords(i, dims).y === 0) partial[i] = 0;
    expect(proposeSplit(labels, partial, dims, 7, new Set([1]), { minSideVoxels: 10 })).toBeNull();
    expect(proposeSplit(labels, membrane, dims, 42, new Set(), {})).toBeNull();
  });

  it("bestSplit picks the candidate with a split", () => {
    const p = bestSplit(labels, membrane, dims, [1, 7], new Set([1, 7]), { minSideVoxels: 10 });
    expect(p?.supervoxel).toBe(7);
    expect(bestSplit(labels, membrane, dims, [1], new Set([1, 7]), { minSideVoxels: 10 })).toBeNull();
  });
});
