// Reviewers and experts can set a cube's consensus by hand. The cube retires with that consensus (later traces
// no longer change it), spawning runs again from it, and an audit log keeps who changed what, when and why.
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import type { Role } from "@/server/db/generated/enums";
import { validateTrace } from "@/core/trace";
import type { Actor } from "./actor";
import { badInput, conflict, forbidden, notFound } from "./errors";
import { MAX_TRACE_SUPERVOXELS } from "./traces";
import { completeIfDone, lockNeuron, spawnNeighbours } from "./spawning";

const OVERRIDERS: readonly Role[] = ["REVIEWER", "EXPERT", "ADMIN"];
export const canOverride = (role: Role) => OVERRIDERS.includes(role);

export async function overrideConsensus(db: Db, actor: Actor, input: { taskId: string; supervoxels: number[]; reason: string }) {
  if (!canOverride(actor.role)) throw forbidden("only reviewers, experts and admins can override a consensus");
  const reason = input.reason.trim();
  if (reason.length < 3) throw badInput("say why you override (at least 3 characters)");
  const task = await db.task.findUnique({ where: { id: input.taskId } });
  if (!task) throw notFound("task");
  if (task.kind === "PRACTICE") throw conflict("practice cubes have a fixed answer");
  const checked = validateTrace({ supervoxels: input.supervoxels }, { supervoxelIds: task.supervoxelIds, maxSelected: MAX_TRACE_SUPERVOXELS });
  if (!checked.ok) throw badInput(`invalid consensus: ${checked.errors.join("; ")}`, checked.errors);
  const consensus = [...new Set([...checked.supervoxels, ...task.seeds])].sort((a, b) => a - b);

  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Task" WHERE "id" = ${task.id} FOR UPDATE`;
      const current = await tx.task.findUniqueOrThrow({ where: { id: task.id }, include: { neuron: true, dataset: true } });
      const before = { consensus: current.consensus, status: current.status, confidence: current.confidence, overridden: current.overridden };
      await tx.task.update({
        where: { id: task.id },
        data: { consensus, overridden: true, confidence: 1, status: "RETIRED", retiredAt: current.retiredAt ?? new Date() },
      });
      await lockNeuron(tx, current.neuronId);
      const exits = await spawnNeighbours(tx, { ...current, consensus }, current.neuron, current.dataset);
      const neuronComplete = await completeIfDone(tx, current.neuronId);
      const after = { consensus, status: "RETIRED", confidence: 1, overridden: true };
      const audit = await tx.auditLog.create({
        data: { actorId: actor.userId, action: "consensus.override", taskId: task.id, before: before as Prisma.InputJsonValue, after: after as Prisma.InputJsonValue, reason },
      });
      return { taskId: task.id, consensus, spawned: exits.filter((e) => e.taskId !== null).length, neuronComplete, auditId: audit.id };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

export async function listAudit(db: Db, actor: Actor, input: { taskId?: string | undefined }) {
  if (!canOverride(actor.role)) throw forbidden("only reviewers, experts and admins can read the audit log");
  const rows = await db.auditLog.findMany({
    where: input.taskId ? { taskId: input.taskId } : {},
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { actor: { select: { username: true } } },
  });
  return rows.map((r) => ({ id: r.id, action: r.action, taskId: r.taskId, actor: r.actor.username, reason: r.reason, before: r.before, after: r.after, createdAt: r.createdAt }));
}
