// Submitting a trace: validation with the game's own rules, idempotent storage, majority consensus,
// points. The whole update of a task runs in one transaction with the task row locked.
import type { Db } from "@/server/db/client";
import { compareToConsensus, majorityConsensus } from "@/core/consensus";
import { scoreSubmission } from "@/core/score";
import { validateTrace } from "@/core/trace";
import type { Actor } from "./actor";
import { badInput, conflict, forbidden, notFound } from "./errors";

export type SubmitInput = { traceId: string; taskId: string; supervoxels: number[] };

export type SubmitResult = {
  traceId: string;
  taskId: string;
  neuronId: string;
  points: number;
  breakdown: { volume: number; accuracy: number; trailblazer: number };
  /** How this trace compares with the consensus of the players before it; null when first. */
  comparison: { precision: number; recall: number; f1: number; agreed: number; extra: number; missed: number } | null;
  submissions: number;
  redundancy: number;
  retired: boolean;
  consensusSize: number;
};

export async function submitTrace(db: Db, actor: Actor, input: SubmitInput): Promise<SubmitResult> {
  const repeat = await storedResult(db, actor, input.traceId);
  if (repeat) return repeat;

  const task = await db.task.findUnique({ where: { id: input.taskId } });
  if (!task) throw notFound("task");
  const assigned = await db.assignment.findUnique({ where: { taskId_userId: { taskId: task.id, userId: actor.userId } } });
  if (!assigned) throw forbidden("this task was not assigned to you: ask for a task first");
  const checked = validateTrace({ supervoxels: input.supervoxels }, { supervoxelIds: task.supervoxelIds });
  if (!checked.ok) throw badInput(`invalid trace: ${checked.errors.join("; ")}`, checked.errors);
  const supervoxels = Array.from(new Set([...checked.supervoxels, ...task.seeds])).sort((a, b) => a - b);

  try {
    return await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Task" WHERE "id" = ${task.id} FOR UPDATE`;
      const current = await tx.task.findUniqueOrThrow({ where: { id: task.id } });
      if (current.status !== "OPEN") throw conflict("this cube is already complete: ask for a new task");
      const others = await tx.trace.findMany({ where: { taskId: task.id }, orderBy: { createdAt: "asc" } });
      if (others.some((t) => t.userId === actor.userId)) throw conflict("you already submitted a trace for this task");

      const sizes = new Map(current.supervoxelIds.map((id, i) => [id, current.supervoxelSizes[i] ?? 0]));
      const before = others.length > 0 ? majorityConsensus(others.map((t) => t.supervoxels)).supervoxels : null;
      const cmp = before ? compareToConsensus(supervoxels, before, sizes) : null;
      const selectedVoxels = supervoxels.reduce((s, id) => s + (current.seeds.includes(id) ? 0 : (sizes.get(id) ?? 0)), 0);
      const score = scoreSubmission({ selectedVoxels, f1: cmp ? cmp.f1 : null, first: others.length === 0 });

      const all = [...others.map((t) => t.supervoxels), supervoxels];
      const consensus = majorityConsensus(all).supervoxels;
      const retired = all.length >= current.redundancy;
      const result: SubmitResult = {
        traceId: input.traceId,
        taskId: task.id,
        neuronId: task.neuronId,
        points: score.points,
        breakdown: score.breakdown,
        comparison: cmp && {
          precision: cmp.precision,
          recall: cmp.recall,
          f1: cmp.f1,
          agreed: cmp.agreed.length,
          extra: cmp.extra.length,
          missed: cmp.missed.length,
        },
        submissions: all.length,
        redundancy: current.redundancy,
        retired,
        consensusSize: consensus.length,
      };
      await tx.trace.create({
        data: { id: input.traceId, taskId: task.id, userId: actor.userId, supervoxels, points: score.points, f1: cmp?.f1 ?? null, result },
      });
      await tx.task.update({
        where: { id: task.id },
        data: { submissions: all.length, consensus, status: retired ? "RETIRED" : "OPEN", retiredAt: retired ? new Date() : null },
      });
      await tx.user.update({ where: { id: actor.userId }, data: { points: { increment: score.points } } });
      return result;
    });
  } catch (err) {
    // Two identical submits raced: the loser finds the winner's row and answers the same.
    if ((err as { code?: string }).code === "P2002") {
      const again = await storedResult(db, actor, input.traceId);
      if (again) return again;
    }
    throw err;
  }
}

async function storedResult(db: Db, actor: Actor, traceId: string): Promise<SubmitResult | null> {
  const trace = await db.trace.findUnique({ where: { id: traceId }, select: { userId: true, result: true } });
  if (!trace) return null;
  if (trace.userId !== actor.userId) throw conflict("this trace id is already used");
  return trace.result as SubmitResult;
}
