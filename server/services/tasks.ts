// Handing out tasks: a cube of one neuron that the player has not yet traced.
import type { Db } from "@/server/db/client";
import type { Actor } from "./actor";

export type GameTask = {
  taskId: string;
  datasetId: string;
  neuronId: string;
  neuronName: string;
  shape: { x: number; y: number; z: number };
  box: { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number };
  seeds: number[];
  color: string;
  tileSize: number;
  chunkSize: number;
  voxelSize: { x: number; y: number; z: number };
  submissions: number;
  redundancy: number;
};

const taskInclude = { dataset: true, neuron: { select: { name: true, color: true } } } as const;

type TaskRow = NonNullable<Awaited<ReturnType<typeof loadTask>>>;
const loadTask = (db: Db, id: string) => db.task.findUnique({ where: { id }, include: taskInclude });

function toGameTask(t: TaskRow): GameTask {
  return {
    taskId: t.id,
    datasetId: t.datasetId,
    neuronId: t.neuronId,
    neuronName: t.neuron.name,
    shape: { x: t.dataset.width, y: t.dataset.height, z: t.dataset.depth },
    box: { x0: t.x0, y0: t.y0, z0: t.z0, x1: t.x1, y1: t.y1, z1: t.z1 },
    seeds: t.seeds,
    color: t.neuron.color,
    tileSize: t.dataset.tileSize,
    chunkSize: t.dataset.chunkSize,
    voxelSize: { x: t.dataset.voxelSizeX, y: t.dataset.voxelSizeY, z: t.dataset.voxelSizeZ },
    submissions: t.submissions,
    redundancy: t.redundancy,
  };
}

/**
 * The player's open assignment if one is unfinished, else the open task closest to retirement that the
 * player has not traced. Null when there is nothing left to play.
 */
export async function assignTask(db: Db, actor: Actor): Promise<GameTask | null> {
  const pending = await db.assignment.findFirst({
    where: { userId: actor.userId, task: { status: "OPEN", traces: { none: { userId: actor.userId } } } },
    orderBy: { createdAt: "desc" },
    include: { task: { include: taskInclude } },
  });
  if (pending) return toGameTask(pending.task);

  const candidates = await db.task.findMany({
    where: { status: "OPEN", traces: { none: { userId: actor.userId } }, dataset: { status: "READY" } },
    orderBy: [{ submissions: "desc" }, { createdAt: "asc" }],
    take: 5,
    include: taskInclude,
  });
  const task = candidates.find((t) => t.submissions < t.redundancy);
  if (!task) return null;
  await db.assignment.upsert({
    where: { taskId_userId: { taskId: task.id, userId: actor.userId } },
    create: { taskId: task.id, userId: actor.userId },
    update: {},
  });
  return toGameTask(task);
}
