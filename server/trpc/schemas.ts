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
  practice: z.boolean(),
});

const ids = z.array(z.number().int());
export const reviewSchema = z.object({ correct: ids, missed: ids, extra: ids });

export const submitResultSchema = z.object({
  traceId: z.string(),
  taskId: z.string(),
  neuronId: z.string(),
  practice: z.boolean(),
  points: z.number().int(),
  breakdown: z.object({ volume: z.number(), accuracy: z.number(), trailblazer: z.number(), streak: z.number() }),
  streak: z.number().int(),
  comparison: z
    .object({ precision: z.number(), recall: z.number(), f1: z.number(), agreed: z.number(), extra: z.number(), missed: z.number() })
    .nullable(),
  review: reviewSchema.nullable(),
  submissions: z.number().int(),
  redundancy: z.number().int(),
  retired: z.boolean(),
  consensusSize: z.number().int(),
  confidence: z.number().nullable(),
  spawned: z.number().int(),
  neuronComplete: z.boolean(),
});

export const traceReviewSchema = reviewSchema.extend({ taskId: z.string(), f1: z.number(), submissions: z.number().int(), retired: z.boolean() });

export const roleSchema = z.enum(["PLAYER", "TEACHER", "RESEARCHER", "REVIEWER", "EXPERT", "ADMIN"]);

export const overrideResultSchema = z.object({ taskId: z.string(), consensus: ids, spawned: z.number().int(), neuronComplete: z.boolean(), auditId: z.string() });

export const auditListSchema = z.array(
  z.object({ id: z.string(), action: z.string(), taskId: z.string().nullable(), actor: z.string(), reason: z.string(), before: z.unknown(), after: z.unknown(), createdAt: z.date() }),
);

export const startedNeuronSchema = z.object({ id: z.string(), name: z.string(), rootTaskId: z.string(), seeds: ids, box });

export const neuronSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  status: z.enum(["ACTIVE", "COMPLETE"]),
  seed: vec,
  dataset: z.object({ id: z.string(), name: z.string(), license: z.string(), attribution: z.string(), voxelSizeX: z.number(), voxelSizeY: z.number(), voxelSizeZ: z.number() }),
  tasks: z.array(
    z.object({
      id: z.string(),
      box,
      status: z.enum(["OPEN", "RETIRED"]),
      submissions: z.number().int(),
      redundancy: z.number().int(),
      consensusSupervoxels: z.number().int(),
      confidence: z.number().nullable(),
      parentTaskId: z.string().nullable(),
      overridden: z.boolean(),
    }),
  ),
  consensusMethod: z.enum(["DAWID_SKENE", "WEIGHTED_MAJORITY"]),
  completedAt: z.date().nullable(),
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

export const profileSchema = z.object({
  username: z.string(),
  isGuest: z.boolean(),
  role: roleSchema,
  points: z.number().int(),
  cubes: z.number().int(),
  streak: z.number().int(),
  bestStreak: z.number().int(),
  practiceCubes: z.number().int(),
  /** Current reliability estimate (posterior means) and weighted-majority weight. */
  reliability: z.object({ sensitivity: z.number(), specificity: z.number(), majorityWeight: z.number() }),
});
