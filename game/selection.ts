/**
 * Selection state of one task: which supervoxels the player has added to the neuron, with undo.
 *
 * Pure (no DOM, no Phaser). Seeds are always selected and can never be removed. Label 0 means "no
 * supervoxel" and is never selected. Every change that actually changes something pushes exactly one
 * undo step; a no-op (adding what is there, removing a seed) pushes nothing and returns false.
 */

export type SelectionOp =
  | { kind: "add"; ids: number[] }
  | { kind: "remove"; ids: number[] };

export const DEFAULT_HISTORY_LIMIT = 1000;

const isId = (id: number): boolean => Number.isInteger(id) && id > 0 && id <= 0xffffffff;

export class Selection {
  private readonly seedSet: ReadonlySet<number>;
  private readonly selected = new Set<number>();
  /** Each step lists the ops that were applied, in order; undo applies their inverses backwards. */
  private readonly history: SelectionOp[][] = [];
  private sortedCache: number[] | null = null;

  constructor(
    seeds: Iterable<number>,
    initial: Iterable<number> = [],
    private readonly historyLimit = DEFAULT_HISTORY_LIMIT,
  ) {
    this.seedSet = new Set([...seeds].filter(isId));
    for (const id of this.seedSet) this.selected.add(id);
    for (const id of initial) if (isId(id)) this.selected.add(id);
  }

  get seeds(): ReadonlySet<number> {
    return this.seedSet;
  }

  /** Live read-only view, for hot loops (the overlay). */
  get set(): ReadonlySet<number> {
    return this.selected;
  }

  get count(): number {
    return this.selected.size;
  }

  get canUndo(): boolean {
    return this.history.length > 0;
  }

  get historyLength(): number {
    return this.history.length;
  }

  has(id: number): boolean {
    return this.selected.has(id);
  }

  isSeed(id: number): boolean {
    return this.seedSet.has(id);
  }

  /** Ascending ids (seeds included). Returns a fresh array. */
  values(): number[] {
    if (!this.sortedCache) this.sortedCache = [...this.selected].sort((a, b) => a - b);
    return this.sortedCache.slice();
  }

  add(id: number): boolean {
    return this.apply({ kind: "add", ids: [id] });
  }

  remove(id: number): boolean {
    return this.apply({ kind: "remove", ids: [id] });
  }

  /** Add when absent, remove when present (seeds stay). */
  toggle(id: number): boolean {
    return this.has(id) ? this.remove(id) : this.add(id);
  }

  /** Remove every non-seed supervoxel, as one undo step. */
  clear(): boolean {
    return this.apply({ kind: "remove", ids: [...this.selected] });
  }

  /** Replace the selection with `ids` (+ seeds), as one undo step. */
  replace(ids: Iterable<number>): boolean {
    const next = new Set<number>(this.seedSet);
    for (const id of ids) if (isId(id)) next.add(id);
    const ops: SelectionOp[] = [
      { kind: "remove", ids: [...this.selected].filter((id) => !next.has(id)) },
      { kind: "add", ids: [...next].filter((id) => !this.selected.has(id)) },
    ];
    const step = ops.filter((op) => op.ids.length > 0);
    if (step.length === 0) return false;
    for (const op of step) this.applyRaw(op);
    this.push(step);
    return true;
  }

  /** Revert the last change. Returns false when there is nothing to undo. */
  undo(): boolean {
    const step = this.history.pop();
    if (!step) return false;
    for (let i = step.length - 1; i >= 0; i--) {
      const op = step[i]!;
      this.applyRaw({ kind: op.kind === "add" ? "remove" : "add", ids: op.ids });
    }
    return true;
  }

  /** Forget the undo history (e.g. after a submit). */
  resetHistory(): void {
    this.history.length = 0;
  }

  // --- internals ---------------------------------------------------------------------------

  /** Filter `op` to the ids it really changes, apply it, and record it. */
  private apply(op: SelectionOp): boolean {
    const effective =
      op.kind === "add"
        ? op.ids.filter((id) => isId(id) && !this.selected.has(id))
        : op.ids.filter((id) => this.selected.has(id) && !this.seedSet.has(id));
    const unique = [...new Set(effective)];
    if (unique.length === 0) return false;
    const applied: SelectionOp = { kind: op.kind, ids: unique };
    this.applyRaw(applied);
    this.push([applied]);
    return true;
  }

  private applyRaw(op: SelectionOp): void {
    if (op.ids.length === 0) return;
    if (op.kind === "add") for (const id of op.ids) this.selected.add(id);
    else for (const id of op.ids) if (!this.seedSet.has(id)) this.selected.delete(id);
    this.sortedCache = null;
  }

  private push(step: SelectionOp[]): void {
    this.history.push(step);
    if (this.history.length > this.historyLimit) this.history.shift();
  }
}
