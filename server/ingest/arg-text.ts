/** Text forms of a voxel size ("8,8,40") and a region ("x0,y0,z0,x1,y1,z1"), for the CLI and the upload form. */
import { z } from "zod";
import type { Region } from "./formats/volume";

const numbers = (s: string, n: number) => s.split(/[,x×\s]+/).filter((p) => p !== "").map(Number).slice(0, n + 1);

export const voxelSizeText = z.string().transform((s, ctx) => {
  const nums = numbers(s, 3);
  if (nums.length !== 3 || nums.some((n) => !Number.isFinite(n) || n <= 0)) {
    ctx.addIssue({ code: "custom", message: `expected three positive numbers like 10,10,10 (got "${s}")` });
    return z.NEVER;
  }
  return { x: nums[0]!, y: nums[1]!, z: nums[2]! };
});

export const regionText = z.string().transform((s, ctx): Region => {
  const n = numbers(s, 6);
  if (n.length !== 6 || n.some((v) => !Number.isInteger(v)) || n[3]! <= n[0]! || n[4]! <= n[1]! || n[5]! <= n[2]!) {
    ctx.addIssue({ code: "custom", message: `expected six integers x0,y0,z0,x1,y1,z1 with x1>x0, y1>y0, z1>z0 (got "${s}")` });
    return z.NEVER;
  }
  return { x0: n[0]!, y0: n[1]!, z0: n[2]!, x1: n[3]!, y1: n[4]!, z1: n[5]! };
});

