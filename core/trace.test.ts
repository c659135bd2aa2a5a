import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_SELECTED, validateTrace } from "./trace";

const task = { supervoxelIds: [30, 10, 20, 40, 50, 60, 70, 80] };

describe("validateTrace", () => {
  it("accepts ids in the cube, sorted and with duplicates merged", () => {
    expect(validateTrace({ supervoxels: [40, 10, 40, 20, 10] }, task)).toEqual({ ok: true, supervoxels: [10, 20, 40] });
  });

  it("accepts an empty trace", () => {
    expect(validateTrace({ supervoxels: [] }, task)).toEqual({ ok: true, supervoxels: [] });
  });

  it("accepts a Set or a typed array of cube ids", () => {
    expect(validateTrace({ supervoxels: [20] }, { supervoxelIds: new Set([20]) })).toEqual({ ok: true, supervoxels: [20] });
    expect(validateTrace({ supervoxels: [20] }, { supervoxelIds: new Uint32Array([20]) })).toEqual({ ok: true, supervoxels: [20] });
  });

  it("rejects non-integers", () => {
    const r = validateTrace({ supervoxels: [10, 1.5, Number.NaN, "20", null] as unknown as number[] }, task);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/4 value\(s\) are not integer ids: 1\.5, NaN, "20", null/);
  });

  it("rejects ids <= 0", () => {
    const r = validateTrace({ supervoxels: [0, -3, 10] }, task);
    expect(r).toEqual({ ok: false, errors: ["2 id(s) are not positive: 0, -3"] });
  });

  it("rejects ids outside the cube, naming at most five", () => {
    const r = validateTrace({ supervoxels: [10, 1, 2, 3, 4, 5, 6, 7, 7] }, task);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(["7 supervoxel(s) are not in this cube: 1, 2, 3, 4, 5 (and 2 more)"]);
    expect(r.errors[0]).not.toMatch(/\b6\b/);
  });

  it("rejects more than maxSelected unique ids, counting duplicates once", () => {
    expect(validateTrace({ supervoxels: [10, 20, 30] }, { ...task, maxSelected: 2 })).toEqual({
      ok: false,
      errors: ["too many supervoxels: 3 selected, at most 2 allowed"],
    });
    expect(validateTrace({ supervoxels: [10, 20, 20, 10] }, { ...task, maxSelected: 2 }).ok).toBe(true);
  });

  it("defaults maxSelected to 2000", () => {
    const ids = Array.from({ length: 2001 }, (_, i) => i + 1);
    expect(DEFAULT_MAX_SELECTED).toBe(2000);
    expect(validateTrace({ supervoxels: ids }, { supervoxelIds: ids }).ok).toBe(false);
    expect(validateTrace({ supervoxels: ids.slice(0, 2000) }, { supervoxelIds: ids }).ok).toBe(true);
  });

  it("reports every kind of problem at once", () => {
    const r = validateTrace({ supervoxels: [1.2, -1, 999, 10] }, task);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toHaveLength(3);
  });

  it("rejects a non-array", () => {
    expect(validateTrace({ supervoxels: "10,20" as unknown as number[] }, task).ok).toBe(false);
    expect(validateTrace({} as { supervoxels: number[] }, task).ok).toBe(false);
  });

  it("property: ok iff every id is a positive integer in the cube; result is the sorted unique set", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 100 }), { maxLength: 40 }), (ids) => {
        const r = validateTrace({ supervoxels: ids }, task);
        const valid = ids.every((v) => task.supervoxelIds.includes(v));
        expect(r.ok).toBe(valid);
        if (r.ok) expect(r.supervoxels).toEqual([...new Set(ids)].sort((a, b) => a - b));
      }),
    );
  });
});
