// Validation of a player's trace (the supervoxel ids they clicked in one cube).
// The game runs it before submitting and the server runs it again on what arrives, so it must not
// trust the input's types: the server may call it on parsed JSON.

export const DEFAULT_MAX_SELECTED = 2000;
const MAX_NAMED = 5;

export type TraceTask = {
  /** Supervoxels present in the task's cube, sorted or not. A Set saves rebuilding one per call. */
  supervoxelIds: ArrayLike<number> | ReadonlySet<number>;
  maxSelected?: number;
};

export type TraceResult = { ok: true; supervoxels: number[] } | { ok: false; errors: string[] };

function isSet(v: TraceTask["supervoxelIds"]): v is ReadonlySet<number> {
  return typeof (v as ReadonlySet<number>).has === "function";
}

function named(values: unknown[]): string {
  const shown = values.slice(0, MAX_NAMED).map((v) => (typeof v === "number" ? String(v) : JSON.stringify(v) ?? String(v)));
  const more = values.length > MAX_NAMED ? ` (and ${values.length - MAX_NAMED} more)` : "";
  return shown.join(", ") + more;
}

/**
 * Accepts positive integer ids that all lie in the task's cube, merging duplicates.
 * Returns the sorted unique ids, or every problem found (not just the first), each naming at most
 * five offending values.
 */
export function validateTrace(input: { supervoxels: unknown }, task: TraceTask): TraceResult {
  const raw: unknown = input?.supervoxels;
  if (!Array.isArray(raw)) return { ok: false, errors: ["supervoxels must be an array of ids"] };

  const inCube = isSet(task.supervoxelIds) ? task.supervoxelIds : new Set(Array.from(task.supervoxelIds));
  const max = task.maxSelected ?? DEFAULT_MAX_SELECTED;

  const notInteger: unknown[] = [];
  const notPositive: number[] = [];
  const outside: number[] = [];
  const unique = new Set<number>();
  for (const v of raw as unknown[]) {
    if (typeof v !== "number" || !Number.isInteger(v)) notInteger.push(v);
    else if (v <= 0) notPositive.push(v);
    else if (!inCube.has(v)) {
      if (!unique.has(v)) outside.push(v);
      unique.add(v);
    } else unique.add(v);
  }

  const errors: string[] = [];
  if (notInteger.length) errors.push(`${notInteger.length} value(s) are not integer ids: ${named(notInteger)}`);
  if (notPositive.length) errors.push(`${notPositive.length} id(s) are not positive: ${named(notPositive)}`);
  if (outside.length) errors.push(`${outside.length} supervoxel(s) are not in this cube: ${named(outside)}`);
  if (unique.size > max) errors.push(`too many supervoxels: ${unique.size} selected, at most ${max} allowed`);
  if (errors.length) return { ok: false, errors };

  return { ok: true, supervoxels: Array.from(unique).sort((a, b) => a - b) };
}
