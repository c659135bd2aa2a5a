// Which supervoxels touch which inside a box (6-connected faces between voxels of different labels).
import type { Vec3 } from "./volume";

export type Adjacency = Map<number, Set<number>>;

export function supervoxelAdjacency(labels: ArrayLike<number>, size: Vec3): Adjacency {
  const { x: sx, y: sy, z: sz } = size;
  if (labels.length !== sx * sy * sz) throw new Error(`label array has ${labels.length} values, the box needs ${sx * sy * sz}`);
  const adj: Adjacency = new Map();
  const link = (a: number, b: number) => {
    if (a === b || a === 0 || b === 0) return;
    let s = adj.get(a);
    if (!s) adj.set(a, (s = new Set()));
    s.add(b);
    let t = adj.get(b);
    if (!t) adj.set(b, (t = new Set()));
    t.add(a);
  };
  const plane = sx * sy;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      let i = z * plane + y * sx;
      for (let x = 0; x < sx; x++, i++) {
        const a = labels[i]!;
        if (x + 1 < sx && labels[i + 1] !== a) link(a, labels[i + 1]!);
        if (y + 1 < sy && labels[i + sx] !== a) link(a, labels[i + sx]!);
        if (z + 1 < sz && labels[i + plane] !== a) link(a, labels[i + plane]!);
      }
    }
  }
  return adj;
}

/** Supervoxels reachable from `start` through `allowed` ones (start ids count only if allowed), ascending. */
export function reachable(adj: Adjacency, start: Iterable<number>, allowed: ReadonlySet<number>): number[] {
  const seen = new Set<number>();
  const stack: number[] = [];
  for (const s of start) if (allowed.has(s) && !seen.has(s)) (seen.add(s), stack.push(s));
  while (stack.length) {
    const a = stack.pop()!;
    for (const b of adj.get(a) ?? []) if (allowed.has(b) && !seen.has(b)) (seen.add(b), stack.push(b));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Supervoxels adjacent to the set but not in it, ascending. */
export function ring(adj: Adjacency, set: ReadonlySet<number>): number[] {
  const out = new Set<number>();
  for (const a of set) for (const b of adj.get(a) ?? []) if (!set.has(b)) out.add(b);
  return [...out].sort((a, b) => a - b);
}
