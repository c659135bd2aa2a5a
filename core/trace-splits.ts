// Splits a player recorded with a trace: "this selected supervoxel merges two cells; keep only this
// side". They belong to the trace only; the shared segmentation never changes. The game builds them
// from the suggestion worker's split offer, the server validates them again with these rules.
//
// A split is reproducible from the boundary map: the voxels of `supervoxel` in slices zFrom..zTo whose
// boundary probability is below `threshold`, grown back over the cut (core/suggestions proposeSplit),
// form two sides; `keep` lies on the kept side, `drop` on the side cut off. Outside zFrom..zTo the
// supervoxel stays whole.
import type { Box, Vec3 } from "./volume";

export type TraceSplit = {
  supervoxel: number;
  /** Absolute slices the split covers (inclusive). */
  zFrom: number;
  zTo: number;
  /** Absolute voxel on the kept side and on the side cut off. */
  keep: Vec3;
  drop: Vec3;
  /** Boundary probability at or above which a voxel belongs to the cut. */
  threshold: number;
  keepVoxels: number;
  dropVoxels: number;
};

export const MAX_SPLITS = 50;

export type SplitsResult = { ok: true; splits: TraceSplit[] } | { ok: false; errors: string[] };

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const inBox = (p: Vec3, b: Box) => p.x >= b.x0 && p.x < b.x1 && p.y >= b.y0 && p.y < b.y1 && p.z >= b.z0 && p.z < b.z1;

function point(v: unknown): Vec3 | null {
  if (!v || typeof v !== "object") return null;
  const { x, y, z } = v as Record<string, unknown>;
  return isInt(x) && isInt(y) && isInt(z) ? { x, y, z } : null;
}

/**
 * Check the splits of a trace against its task cube and its selection (a split of a supervoxel the
 * trace does not select means nothing). Does not trust the input's types. Absent = no splits.
 */
export function validateSplits(input: unknown, ctx: { box: Box; selected: ReadonlySet<number> }): SplitsResult {
  if (input === undefined || input === null) return { ok: true, splits: [] };
  if (!Array.isArray(input)) return { ok: false, errors: ["splits must be an array"] };
  if (input.length > MAX_SPLITS) return { ok: false, errors: [`too many splits: ${input.length}, at most ${MAX_SPLITS}`] };
  const errors: string[] = [];
  const splits: TraceSplit[] = [];
  const seen = new Set<number>();
  input.forEach((raw: unknown, i) => {
    const at = `split ${i + 1}`;
    if (!raw || typeof raw !== "object") return void errors.push(`${at}: not an object`);
    const s = raw as Record<string, unknown>;
    const keep = point(s.keep);
    const drop = point(s.drop);
    const { supervoxel, zFrom, zTo, threshold, keepVoxels, dropVoxels } = s;
    if (!isInt(supervoxel) || supervoxel <= 0) return void errors.push(`${at}: supervoxel must be a positive integer id`);
    if (!ctx.selected.has(supervoxel)) return void errors.push(`${at}: supervoxel ${supervoxel} is not in the trace`);
    if (seen.has(supervoxel)) return void errors.push(`${at}: supervoxel ${supervoxel} is split twice`);
    if (!isInt(zFrom) || !isInt(zTo) || zFrom > zTo || zFrom < ctx.box.z0 || zTo >= ctx.box.z1) {
      return void errors.push(`${at}: slices ${String(zFrom)}..${String(zTo)} are not inside the cube (${ctx.box.z0}..${ctx.box.z1 - 1})`);
    }
    if (!keep || !drop) return void errors.push(`${at}: keep and drop must be voxel coordinates {x, y, z}`);
    for (const [name, p] of [["keep", keep], ["drop", drop]] as const) {
      if (!inBox(p, ctx.box) || p.z < zFrom || p.z > zTo) return void errors.push(`${at}: ${name} (${p.x}, ${p.y}, ${p.z}) is outside the split's slices of the cube`);
    }
    if (keep.x === drop.x && keep.y === drop.y && keep.z === drop.z) return void errors.push(`${at}: keep and drop are the same voxel`);
    if (typeof threshold !== "number" || !(threshold > 0 && threshold < 1)) return void errors.push(`${at}: threshold must be in (0, 1)`);
    if (!isInt(keepVoxels) || !isInt(dropVoxels) || keepVoxels < 1 || dropVoxels < 1) return void errors.push(`${at}: keepVoxels and dropVoxels must be positive integers`);
    if (errors.length) return;
    seen.add(supervoxel);
    splits.push({ supervoxel, zFrom, zTo, keep, drop, threshold, keepVoxels, dropVoxels });
  });
  return errors.length ? { ok: false, errors } : { ok: true, splits };
}
