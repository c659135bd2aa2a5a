// Handing out tasks: a cube of one neuron that the player has not yet traced, or a practice cube.
import { isProven, PRACTICE_CUBES_TO_PROVE } from "@/core/reliability";
import type { Db } from "@/server/db/client";
import type { Actor } from "./actor";
import { retryOnConflict } from "@/server/security/db-unavailable";

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
  practice: boolean;
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
    practice: t.kind === "PRACTICE",
  };
}

/**
 * An assignment not submitted within this time no longer holds a player's place on the cube (the player may
 * still submit). `AXONAUT_ASSIGNMENT_TTL_S` overrides it: the browser tests run many scripted players, some of
 * whom walk away, on one server.
 */
export const ASSIGNMENT_TTL_MS = Number(process.env.AXONAUT_ASSIGNMENT_TTL_S ?? 30 * 60) * 1000;

/**
 * The player's open assignment if one is unfinished, else a new cube:
 * - practice (`practice: true`): a practice cube the player has not played; they never run out of places.
 * - campaign: of published campaigns (or neurons in none), the open cube closest to retirement (fewest players still wanted) that the player never had.
 *   Assignment is transactional: the task row is locked while its live assignments are counted, so under
 *   concurrency no cube is handed out beyond the number of players it wants.
 * Null when there is nothing left to play.
 */
export async function assignTask(db: Db, actor: Actor, opts: { practice?: boolean } = {}): Promise<GameTask | null> {
  const kind = opts.practice ? "PRACTICE" : "CAMPAIGN";
  const pending = await db.assignment.findFirst({
    where: { userId: actor.userId, task: { kind, status: "OPEN", traces: { none: { userId: actor.userId } } } },
    orderBy: { createdAt: "desc" },
    include: { task: { include: taskInclude } },
  });
  if (pending) return toGameTask(pending.task);
  // A player whose practice cubes showed votes no better than chance (random clicking, or adding every
  // neighbour) gets practice cubes, not campaign cubes: their traces would cost the crowd redundancy and
  // teach the consensus nothing. Players who have not practised yet still play campaign cubes, at low weight.
  const practice = opts.practice || (await failedPractice(db, actor));
  const taskId = practice ? await assignPractice(db, actor) : await assignCampaign(db, actor);
  if (!taskId) return null;
  return toGameTask((await loadTask(db, taskId))!);
}

/** Practised (graded against ground truth) and not proven: not cleared for campaign cubes. */
export async function failedPractice(db: Db, actor: Actor): Promise<boolean> {
  if (actor.role === "EXPERT") return false;
  const r = await db.reliability.findUnique({ where: { userId: actor.userId } });
  return r !== null && r.practiceCubes >= PRACTICE_CUBES_TO_PROVE && !isProven(r);
}

async function assignPractice(db: Db, actor: Actor): Promise<string | null> {
  const task = await db.task.findFirst({
    where: { kind: "PRACTICE", status: "OPEN", dataset: { status: "READY" }, assignments: { none: { userId: actor.userId } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  if (!task) return null;
  await db.assignment.upsert({ where: { taskId_userId: { taskId: task.id, userId: actor.userId } }, create: { taskId: task.id, userId: actor.userId }, update: {} });
  return task.id;
}

async function assignCampaign(db: Db, actor: Actor): Promise<string | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidates = await db.$queryRaw<{ id: string }[]>`
      SELECT t."id" FROM "Task" t JOIN "Dataset" d ON d."id" = t."datasetId" JOIN "Neuron" n ON n."id" = t."neuronId"
      WHERE t."status" = 'OPEN' AND t."kind" = 'CAMPAIGN' AND d."status" = 'READY'
        -- A researcher's campaign is played only once published; neurons without one (demo) always are.
        AND (n."campaignId" IS NULL OR EXISTS (SELECT 1 FROM "Campaign" c WHERE c."id" = n."campaignId" AND c."status" = 'PUBLISHED'))
        AND NOT EXISTS (SELECT 1 FROM "Assignment" a WHERE a."taskId" = t."id" AND a."userId" = ${actor.userId})
      ORDER BY (t."redundancy" - t."submissions") ASC, t."submissions" DESC, t."createdAt" ASC, t."id" ASC
      LIMIT 20`;
    if (candidates.length === 0) return null;
    // Under load an assignment can deadlock with a submission of a neighbouring cube, or wait past Prisma's
    // default 5 s: the loser runs again, and the wait may be as long as a submission's (issue #7 load tests).
    const got = await retryOnConflict(() => db.$transaction(async (tx) => {
      // First the candidates nobody holds (SKIP LOCKED): a cube that a submission or another assignment has
      // locked is passed over instead of waited for. Only when none of those had room, the locked ones, waiting.
      const busy: string[] = [];
      const take = async (id: string, wait: boolean) => {
        // The lock makes the count below see every assignment committed before it.
        const [task] = wait
          ? await tx.$queryRaw<{ status: string; redundancy: number }[]>`SELECT "status", "redundancy" FROM "Task" WHERE "id" = ${id} FOR UPDATE`
          : await tx.$queryRaw<{ status: string; redundancy: number }[]>`SELECT "status", "redundancy" FROM "Task" WHERE "id" = ${id} FOR UPDATE SKIP LOCKED`;
        if (!task) {
          if (!wait) busy.push(id);
          return false;
        }
        if (task.status !== "OPEN") return false;
        const live = await tx.assignment.count({
          where: { taskId: id, OR: [{ createdAt: { gt: new Date(Date.now() - ASSIGNMENT_TTL_MS) } }, { user: { traces: { some: { taskId: id } } } }] },
        });
        if (live >= task.redundancy) return false;
        const mine = await tx.assignment.findUnique({ where: { taskId_userId: { taskId: id, userId: actor.userId } } });
        if (mine) return false;
        await tx.assignment.create({ data: { taskId: id, userId: actor.userId } });
        return true;
      };
      for (const { id } of candidates) if (await take(id, false)) return id;
      for (const id of busy) if (await take(id, true)) return id;
      return null;
    }, { timeout: 60_000, maxWait: 60_000 }));
    if (got) return got;
  }
  return null;
}
