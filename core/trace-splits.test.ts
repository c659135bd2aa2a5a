import { describe, expect, it } from "vitest";
import { MAX_SPLITS, validateSplits, type TraceSplit } from "./trace-splits";

const box = { x0: 10, y0: 10, z0: 100, x1: 74, y1: 74, z1: 164 };
const selected = new Set([5, 9]);
const good: TraceSplit = { supervoxel: 5, zFrom: 120, zTo: 130, keep: { x: 20, y: 20, z: 125 }, drop: { x: 40, y: 22, z: 126 }, threshold: 0.5, keepVoxels: 800, dropVoxels: 400 };

describe("validateSplits", () => {
  it("accepts absent splits and well-formed ones", () => {
    expect(validateSplits(undefined, { box, selected })).toEqual({ ok: true, splits: [] });
    expect(validateSplits([], { box, selected })).toEqual({ ok: true, splits: [] });
    expect(validateSplits([good], { box, selected })).toEqual({ ok: true, splits: [good] });
  });

  it("drops unknown fields", () => {
    const r = validateSplits([{ ...good, extra: "x" }], { box, selected });
    expect(r.ok && r.splits[0]).toEqual(good);
  });

  it.each([
    ["not an array", { splits: 3 }, /must be an array/],
    ["a supervoxel outside the trace", [{ ...good, supervoxel: 6 }], /not in the trace/],
    ["a non-integer id", [{ ...good, supervoxel: 5.5 }], /positive integer/],
    ["the same supervoxel twice", [good, good], /split twice/],
    ["slices outside the cube", [{ ...good, zFrom: 90 }], /not inside the cube/],
    ["reversed slices", [{ ...good, zFrom: 131 }], /not inside the cube/],
    ["a point outside the slices", [{ ...good, keep: { x: 20, y: 20, z: 140 } }], /keep .* outside/],
    ["a point outside the cube", [{ ...good, drop: { x: 9, y: 20, z: 125 } }], /drop .* outside/],
    ["a point that is not a voxel", [{ ...good, drop: { x: "1", y: 2, z: 3 } }], /voxel coordinates/],
    ["the same voxel twice", [{ ...good, drop: good.keep }], /same voxel/],
    ["a threshold of 1", [{ ...good, threshold: 1 }], /threshold/],
    ["an empty side", [{ ...good, dropVoxels: 0 }], /positive integers/],
  ])("rejects %s", (_name, input, message) => {
    const r = validateSplits("splits" in (input as object) ? (input as { splits: unknown }).splits : input, { box, selected });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join("; ")).toMatch(message);
  });

  it("caps the number of splits", () => {
    const many = Array.from({ length: MAX_SPLITS + 1 }, () => good);
    const r = validateSplits(many, { box, selected });
    expect(r.ok).toBe(false);
  });
});
