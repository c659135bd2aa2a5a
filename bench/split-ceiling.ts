// How high could voxel F1 go if players could split merged supervoxels? (issue #4, stage 1 of applying
// split offers.) For the k largest ground-truth neurons:
//   (a) whole     the best answer of whole supervoxels (each in when mostly in the body): the simulation's ceiling;
//   (a')cell      the same decided per grid cube (mostly in the body *within the cube*), union over cubes;
//   (b) split     (a') where a supervoxel may also be replaced, within a cube, by one side of the game's own
//                 split offer (core/suggestions proposeSplit on the committed model's boundary map of that
//                 cube, the game's DEFAULT_SPLIT thresholds); an oracle keeps a side when it is mostly in the body;
//   (c) grown     (a') and (b) under growth: a perfect crowd traces each cube from its seeds through body units
//                 (whole supervoxels, or split sides in (b)), exits with >= 30 face voxels seed the neighbour
//                 (units of the neighbour that the answer covers in the overlap, >= half of them seen there),
//                 and a cell takes every new seed (unlimited follow-up cubes: an upper bound of the product's 4).
//
//   AXONAUT_STORE=.data/test-store npx tsx bench/split-ceiling.ts [--dataset neuroproof-medulla] [--neurons 20]
//       [--threshold 0.5] [--min-fraction 0.2] [--min-voxels 300]      (defaults: the game's split offer)
//
// The boundary maps (the model over each cube window, slices clamped to the cube like the game's worker)
// are cached in .data/split-bench/<slug>/. Ground truth only decides which side an oracle keeps.
// Output, the sweep over thresholds and the decision (not built: +0.002 to +0.005 mean F1 even for an oracle):
// docs/crowd-engine.md, "Would applying split offers close the gap?".
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { faceExits, neighbourSeeds } from "@/core/cube-exits";
import { cellBox, cellForPoint, cubeGrid, FACES, gridDims, intersectBoxes, neighbourCell, type GridCell } from "@/core/cube-grid";
import { proposeSplit } from "@/core/suggestions";
import { reachable, supervoxelAdjacency, type Adjacency } from "@/core/supervoxel-graph";
import { boxSize, type Box, type Vec3 } from "@/core/volume";
import { DEFAULT_SPLIT } from "@/game/inference/suggest-engine";
import { DEFAULT_MODEL_PATH, loadBoundaryModel, predictBoundaryVolume } from "@/server/ingest/boundary-model";
import { readSlice } from "@/server/ingest/read-slices";
import { groundTruthBodies, seedNear } from "@/server/services/demo-campaign";
import { storeRoot, tilePath } from "@/server/store/store";
import { voxelF1 } from "@/server/sim/evaluate";

const { values } = parseArgs({ options: { dataset: { type: "string", default: "neuroproof-medulla" }, neurons: { type: "string", default: "20" }, threshold: { type: "string", default: String(DEFAULT_SPLIT.threshold) }, "min-fraction": { type: "string", default: String(DEFAULT_SPLIT.minSideFraction) }, "min-voxels": { type: "string", default: String(DEFAULT_SPLIT.minSideVoxels) } } });
const slug = values.dataset!;
const K = Number(values.neurons);
const threshold = Number(values.threshold);
const minSideFraction = Number(values["min-fraction"]);
const minSideVoxels = Number(values["min-voxels"]);
const MIN_EXIT = 30;
const SEED_SHARE = 0.5;
/** Synthetic id of a split supervoxel's second side (real ids stay far below). */
const SIDE2 = 1 << 30;

function crop(src: ArrayLike<number>, shape: Vec3, b: Box, out: Uint32Array | Uint8Array): void {
  const s = boxSize(b);
  for (let z = 0; z < s.z; z++) for (let y = 0; y < s.y; y++) for (let x = 0; x < s.x; x++) out[(z * s.y + y) * s.x + x] = src[((b.z0 + z) * shape.y + b.y0 + y) * shape.x + b.x0 + x]!;
}

async function boundaryOf(grey: Uint8Array, shape: Vec3, b: Box, cacheDir: string, model: () => ReturnType<typeof loadBoundaryModel>): Promise<Uint8Array> {
  const file = path.join(cacheDir, `${b.x0}_${b.y0}_${b.z0}_${b.x1}_${b.y1}_${b.z1}.u8`);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  const s = boxSize(b);
  const g = new Uint8Array(s.x * s.y * s.z);
  crop(grey, shape, b, g);
  const map = await predictBoundaryVolume(await model(), g, s);
  writeFileSync(file, map);
  return map;
}

type Cell = { cell: GridCell; box: Box; size: Vec3; sv: Uint32Array; gt: Uint32Array; units: Uint32Array; svAdj: Adjacency; unitAdj: Adjacency; splits: number };

async function main() {
  process.env.AXONAUT_STORE = storeRoot();
  const t0 = Date.now();
  const { shape, gt, sv, bodies } = await groundTruthBodies(slug);
  const grey = new Uint8Array(shape.x * shape.y * shape.z);
  for (let z = 0; z < shape.z; z++) grey.set(await readSlice(tilePath(slug, 0, z, 0, 0), { width: shape.x, height: shape.y }), z * shape.x * shape.y);
  const grid = cubeGrid(shape);
  const cacheDir = path.resolve(".data", "split-bench", slug);
  mkdirSync(cacheDir, { recursive: true });
  // Opened only when a cube's boundary map is not cached yet.
  const opened: { model: ReturnType<typeof loadBoundaryModel> | null } = { model: null };
  const model = () => (opened.model ??= loadBoundaryModel(DEFAULT_MODEL_PATH));

  const top = bodies.slice(0, K).map((b) => b.body);
  const topSet = new Set(top);
  const dims = gridDims(grid);
  const cells: Cell[] = [];
  for (let gz = 0; gz < dims.z; gz++)
    for (let gy = 0; gy < dims.y; gy++)
      for (let gx = 0; gx < dims.x; gx++) {
        const cell = { gx, gy, gz };
        const box = cellBox(grid, cell);
        const size = boxSize(box);
        const n = size.x * size.y * size.z;
        const c: Cell = { cell, box, size, sv: new Uint32Array(n), gt: new Uint32Array(n), units: new Uint32Array(n), svAdj: new Map(), unitAdj: new Map(), splits: 0 };
        crop(sv, shape, box, c.sv);
        crop(gt, shape, box, c.gt);
        const boundary = await boundaryOf(grey, shape, box, cacheDir, model);
        // Candidates: supervoxels holding enough of a top body and enough of something else to make two sides.
        const counts = new Map<number, Map<number, number>>();
        for (let i = 0; i < n; i++) {
          const s = c.sv[i]!;
          if (s === 0) continue;
          let m = counts.get(s);
          if (!m) counts.set(s, (m = new Map()));
          m.set(c.gt[i]!, (m.get(c.gt[i]!) ?? 0) + 1);
        }
        c.units.set(c.sv);
        for (const [s, m] of counts) {
          const total = [...m.values()].reduce((a, v) => a + v, 0);
          const interesting = [...m].some(([b, k]) => topSet.has(b) && k >= minSideVoxels && total - k >= minSideVoxels);
          if (!interesting) continue;
          const p = proposeSplit(c.sv, boundary, size, s, new Set(), { threshold, minSideFraction, minSideVoxels, boundaryScale: 1 / 255 });
          if (!p) continue;
          c.splits++;
          for (let i = 0; i < n; i++) if (p.sides[i] === 2) c.units[i] = s + SIDE2;
        }
        c.svAdj = supervoxelAdjacency(c.sv, size);
        c.unitAdj = supervoxelAdjacency(c.units, size);
        cells.push(c);
      }
  const splitCount = cells.reduce((a, c) => a + c.splits, 0);
  console.error(`${cells.length} cubes, ${splitCount} split offers on candidate supervoxels (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  const cellKey = (g: GridCell) => `${g.gx},${g.gy},${g.gz}`;
  const byKey = new Map(cells.map((c) => [cellKey(c.cell), c]));

  /** Units of a cube mostly (> half of their voxels there) in the body. */
  const bodyUnits = (labels: Uint32Array, cgt: Uint32Array, body: number) => {
    const tot = new Map<number, number>(), ins = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
      const u = labels[i]!;
      if (u === 0) continue;
      tot.set(u, (tot.get(u) ?? 0) + 1);
      if (cgt[i] === body) ins.set(u, (ins.get(u) ?? 0) + 1);
    }
    return new Set([...ins].filter(([u, k]) => 2 * k > tot.get(u)!).map(([u]) => u));
  };
  const paint = (mask: Uint8Array, c: Cell, labels: Uint32Array, keep: ReadonlySet<number>) => {
    const { box, size } = c;
    for (let z = 0; z < size.z; z++)
      for (let y = 0; y < size.y; y++) for (let x = 0; x < size.x; x++) if (keep.has(labels[(z * size.y + y) * size.x + x]!)) mask[((box.z0 + z) * shape.y + box.y0 + y) * shape.x + box.x0 + x] = 1;
  };

  /** The perfect crowd's growth over units (`split` false: whole supervoxels). */
  const grow = (body: number, seedPoint: Vec3, split: boolean) => {
    const labelsOf = (c: Cell) => (split ? c.units : c.sv);
    const adjOf = (c: Cell) => (split ? c.unitAdj : c.svAdj);
    const root = byKey.get(cellKey(cellForPoint(grid, seedPoint)!))!;
    const at = ((seedPoint.z - root.box.z0) * root.size.y + seedPoint.y - root.box.y0) * root.size.x + seedPoint.x - root.box.x0;
    const seeds = new Map<string, Set<number>>([[cellKey(root.cell), new Set([labelsOf(root)[at]!])]]);
    const answers = new Map<string, Set<number>>();
    const allowedCache = new Map<string, Set<number>>();
    const queue = [cellKey(root.cell)];
    let cubes = 0;
    while (queue.length) {
      const key = queue.shift()!;
      const c = byKey.get(key)!;
      const labels = labelsOf(c);
      let allowed = allowedCache.get(key);
      if (!allowed) allowedCache.set(key, (allowed = bodyUnits(labels, c.gt, body)));
      const s = seeds.get(key)!;
      const answer = new Set(reachable(adjOf(c), s, new Set([...allowed, ...s])));
      for (const x of s) answer.add(x);
      const before = answers.get(key);
      if (before && before.size === answer.size) continue;
      answers.set(key, answer);
      cubes++;
      faceExits(labels, c.size, answer).forEach((exit, f) => {
        if (exit.voxels < MIN_EXIT) return;
        const nc = neighbourCell(grid, c.cell, FACES[f]!);
        if (!nc) return;
        const nb = byKey.get(cellKey(nc))!;
        const nlabels = labelsOf(nb);
        const ov = intersectBoxes(c.box, nb.box);
        // Units of the neighbour that the parent's answer covers inside the overlap.
        const inOverlap = new Map<number, number>();
        for (let z = ov.z0; z < ov.z1; z++)
          for (let y = ov.y0; y < ov.y1; y++)
            for (let x = ov.x0; x < ov.x1; x++) {
              const p = labels[((z - c.box.z0) * c.size.y + y - c.box.y0) * c.size.x + x - c.box.x0]!;
              if (!answer.has(p)) continue;
              const u = nlabels[((z - nb.box.z0) * nb.size.y + y - nb.box.y0) * nb.size.x + x - nb.box.x0]!;
              if (u !== 0) inOverlap.set(u, (inOverlap.get(u) ?? 0) + 1);
            }
        if (inOverlap.size === 0) return;
        const inNeighbour = new Map<number, number>();
        for (const u of nlabels) if (inOverlap.has(u)) inNeighbour.set(u, (inNeighbour.get(u) ?? 0) + 1);
        const ns = neighbourSeeds(inOverlap, inNeighbour, SEED_SHARE);
        const nkey = cellKey(nc);
        const have = seeds.get(nkey) ?? new Set<number>();
        const fresh = ns.filter((u) => !have.has(u) && !answers.get(nkey)?.has(u));
        if (fresh.length === 0) return;
        for (const u of fresh) have.add(u);
        seeds.set(nkey, have);
        queue.push(nkey);
      });
    }
    const mask = new Uint8Array(gt.length);
    for (const [key, answer] of answers) {
      const c = byKey.get(key)!;
      paint(mask, c, labelsOf(c), answer);
    }
    return { f1: voxelF1(mask, gt, body), cubes };
  };

  // Whole-volume supervoxel totals for (a).
  const svTotal = new Map<number, number>();
  for (let i = 0; i < sv.length; i++) svTotal.set(sv[i]!, (svTotal.get(sv[i]!) ?? 0) + 1);

  type Row = { body: number; voxels: number; whole: number; cell: number; split: number; grownWhole: number; grownSplit: number; cubesWhole: number; cubesSplit: number };
  const rows: Row[] = [];
  for (const b of bodies.slice(0, K)) {
    const inBody = new Map<number, number>();
    for (let i = 0; i < gt.length; i++) if (gt[i] === b.body) inBody.set(sv[i]!, (inBody.get(sv[i]!) ?? 0) + 1);
    const best = new Set([...inBody].filter(([s, k]) => 2 * k > svTotal.get(s)!).map(([s]) => s));
    const wholeMask = new Uint8Array(sv.length);
    for (let i = 0; i < sv.length; i++) if (best.has(sv[i]!)) wholeMask[i] = 1;
    const cellMask = new Uint8Array(sv.length);
    const splitMask = new Uint8Array(sv.length);
    for (const c of cells) {
      paint(cellMask, c, c.sv, bodyUnits(c.sv, c.gt, b.body));
      paint(splitMask, c, c.units, bodyUnits(c.units, c.gt, b.body));
    }
    const seed = seedNear(gt, sv, shape, b.body, b.centroid)!;
    const gw = grow(b.body, seed, false);
    const gs = grow(b.body, seed, true);
    rows.push({
      body: b.body,
      voxels: b.size,
      whole: voxelF1(wholeMask, gt, b.body),
      cell: voxelF1(cellMask, gt, b.body),
      split: voxelF1(splitMask, gt, b.body),
      grownWhole: gw.f1,
      grownSplit: gs.f1,
      cubesWhole: gw.cubes,
      cubesSplit: gs.cubes,
    });
  }

  const f = (v: number) => v.toFixed(3).padStart(7);
  console.log(`Split ceiling on ${slug}: ${K} largest neurons, split threshold ${threshold} (min side ${minSideVoxels} voxels / ${minSideFraction}), ${splitCount} split offers in ${cells.length} cubes`);
  console.log("neuron     body   voxels   whole    cell   split  grown-whole  grown-split  cubes whole/split");
  rows.forEach((r, i) => console.log(`${String(i + 1).padStart(6)} ${String(r.body).padStart(8)} ${String(r.voxels).padStart(8)} ${f(r.whole)} ${f(r.cell)} ${f(r.split)}      ${f(r.grownWhole)}      ${f(r.grownSplit)}        ${r.cubesWhole}/${r.cubesSplit}`));
  const mean = (k: keyof Row) => rows.reduce((a, r) => a + (r[k] as number), 0) / rows.length;
  console.log(`  mean                   ${f(mean("whole"))} ${f(mean("cell"))} ${f(mean("split"))}      ${f(mean("grownWhole"))}      ${f(mean("grownSplit"))}        ${mean("cubesWhole").toFixed(1)}/${mean("cubesSplit").toFixed(1)}`);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  if (opened.model) await (await opened.model).close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
