// zod shapes of what the API returns, so every procedure validates its output too.
import { z } from "zod";

const box = z.object({ x0: z.number().int(), y0: z.number().int(), z0: z.number().int(), x1: z.number().int(), y1: z.number().int(), z1: z.number().int() });
const vec = z.object({ x: z.number(), y: z.number(), z: z.number() });

export const gameTaskSchema = z.object({
  taskId: z.string(),
  datasetId: z.string(),
  neuronId: z.string(),
  neuronName: z.string(),
  shape: vec,
  box,
  seeds: z.array(z.number().int()),
  color: z.string(),
  tileSize: z.number().int(),
  chunkSize: z.number().int(),
  voxelSize: vec,
  submissions: z.number().int(),
  redundancy: z.number().int(),
});

export const submitResultSchema = z.object({
  traceId: z.string(),
  taskId: z.string(),
  neuronId: z.string(),
  points: z.number().int(),
  breakdown: z.object({ volume: z.number(), accuracy: z.number(), trailblazer: z.number() }),
  comparison: z
    .object({ precision: z.number(), recall: z.number(), f1: z.number(), agreed: z.number(), extra: z.number(), missed: z.number() })
    .nullable(),
  submissions: z.number().int(),
  redundancy: z.number().int(),
  retired: z.boolean(),
  consensusSize: z.number().int(),
});

export const neuronSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  status: z.enum(["ACTIVE", "COMPLETE"]),
  seed: vec,
  dataset: z.object({ id: z.string(), name: z.string(), license: z.string(), attribution: z.string(), voxelSizeX: z.number(), voxelSizeY: z.number(), voxelSizeZ: z.number() }),
  tasks: z.array(
    z.object({ id: z.string(), box, status: z.enum(["OPEN", "RETIRED"]), submissions: z.number().int(), redundancy: z.number().int(), consensusSupervoxels: z.number().int() }),
  ),
});

export const neuronListSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    color: z.string(),
    status: z.enum(["ACTIVE", "COMPLETE"]),
    datasetName: z.string(),
    tasks: z.number().int(),
    retiredTasks: z.number().int(),
    submissions: z.number().int(),
  }),
);

export const profileSchema = z.object({ username: z.string(), isGuest: z.boolean(), role: z.enum(["PLAYER", "TEACHER", "RESEARCHER", "ADMIN"]), points: z.number().int(), cubes: z.number().int() });
