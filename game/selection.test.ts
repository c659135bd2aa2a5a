import { describe, expect, it } from "vitest";
import { Selection } from "./selection";

describe("Selection", () => {
  it("starts with the seeds (and the initial ids) selected", () => {
    const s = new Selection([5, 3], [9, 0, 3]);
    expect(s.values()).toEqual([3, 5, 9]);
    expect(s.count).toBe(3);
    expect(s.canUndo).toBe(false);
    expect(s.isSeed(3)).toBe(true);
    expect(s.isSeed(9)).toBe(false);
  });

  it("adds, removes and toggles, one undo step each", () => {
    const s = new Selection([1]);
    expect(s.add(7)).toBe(true);
    expect(s.add(7)).toBe(false); // no-op pushes nothing
    expect(s.toggle(8)).toBe(true);
    expect(s.values()).toEqual([1, 7, 8]);
    expect(s.toggle(7)).toBe(true);
    expect(s.values()).toEqual([1, 8]);
    expect(s.remove(42)).toBe(false);
    expect(s.historyLength).toBe(3);

    expect(s.undo()).toBe(true); // un-toggle 7
    expect(s.values()).toEqual([1, 7, 8]);
    expect(s.undo()).toBe(true); // un-add 8
    expect(s.values()).toEqual([1, 7]);
    expect(s.undo()).toBe(true); // un-add 7
    expect(s.values()).toEqual([1]);
    expect(s.undo()).toBe(false);
  });

  it("never removes a seed, and never selects label 0 or junk", () => {
    const s = new Selection([4]);
    expect(s.remove(4)).toBe(false);
    expect(s.toggle(4)).toBe(false);
    expect(s.add(0)).toBe(false);
    expect(s.add(-3)).toBe(false);
    expect(s.add(1.5)).toBe(false);
    expect(s.add(Number.NaN)).toBe(false);
    expect(s.values()).toEqual([4]);
    expect(s.canUndo).toBe(false);
  });

  it("clear keeps the seeds and is one undo step", () => {
    const s = new Selection([2], [10, 11]);
    s.add(12);
    expect(s.clear()).toBe(true);
    expect(s.values()).toEqual([2]);
    expect(s.clear()).toBe(false);
    s.undo();
    expect(s.values()).toEqual([2, 10, 11, 12]);
    s.undo();
    expect(s.values()).toEqual([2, 10, 11]);
  });

  it("replace keeps the seeds and undoes as one step", () => {
    const s = new Selection([2], [10, 11]);
    expect(s.replace([11, 20, 21, 0])).toBe(true);
    expect(s.values()).toEqual([2, 11, 20, 21]);
    expect(s.replace([20, 11, 21, 2])).toBe(false);
    expect(s.undo()).toBe(true);
    expect(s.values()).toEqual([2, 10, 11]);
    expect(s.canUndo).toBe(false);
  });

  it("values() is a sorted copy that callers cannot corrupt", () => {
    const s = new Selection([30, 4]);
    const v = s.values();
    v.push(99);
    expect(s.values()).toEqual([4, 30]);
  });

  it("caps the history", () => {
    const s = new Selection([], [], 3);
    for (let id = 1; id <= 5; id++) s.add(id);
    expect(s.historyLength).toBe(3);
    while (s.undo());
    expect(s.values()).toEqual([1, 2]);
  });

  it("matches a model under random operations", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const seeds = [1, 2];
    const s = new Selection(seeds);
    const states: number[][] = [s.values()];
    for (let i = 0; i < 2000; i++) {
      const r = rand(5);
      const id = rand(12);
      let changed = false;
      if (r === 0) changed = s.add(id);
      else if (r === 1) changed = s.remove(id);
      else if (r === 2) changed = s.toggle(id);
      else if (r === 3 && rand(10) === 0) changed = s.clear();
      else if (r === 4) {
        if (s.undo()) states.pop();
        expect(s.values()).toEqual(states[states.length - 1]);
        continue;
      }
      if (changed) states.push(s.values());
      for (const sd of seeds) expect(s.has(sd)).toBe(true);
      expect(s.has(0)).toBe(false);
      expect(s.values()).toEqual(states[states.length - 1]);
    }
  });
});
