// Growth: where a retired cube's consensus leaves through a face over enough voxels, the neighbouring grid
// cube becomes a task of the same neuron, seeded with the consensus supervoxels in the overlap. A branch that
// re-enters a cell already traced, where the cell's traces never reached it, gets a follow-up cube of that
// cell (Task.pass 1, 2, …). When a neuron has no open cube left, it is complete. Runs in the retiring
// transaction with the neuron locked.
import type { Prisma } from "@/server/db/generated/client";
import { consensusCountsInBox, faceCounts, faceExits, neighbourSeeds, reentry, unjudgedSeeds } from "@/core/cube-exits";
import { cellBox, FACES, intersectBoxes, neighbourCell, type GridCell } from "@/core/cube-grid";
import { cubeAdjacency, cubeContents, datasetGrid } from "./cube-contents";

type Tx = Prisma.TransactionClient;

/** A seed of a spawned cube must have at least this share of its voxels there inside the overlap. */
export const SEED_MIN_SHARE = 0.5;

export type ExitRecord = { axis: "x" | "y" | "z"; dir: -1 | 1; voxels: number; neighbour: GridCell | null; taskId: string | null; seeds: number[] };

type RetiredTask = {
  id: string; neuronId: string; datasetId: string; gridX: number | null; gridY: number | null; gridZ: number | null;
  x0: number; y0: number; z0: number; x1: number; y1: number; z1: number; consensus: number[];
};
type NeuronSettings = { id: string; minPlayers: number; maxPlayers: number; minExitVoxels: number; maxCubesPerCell: number };
type DatasetRow = { slug: string; width: number; height: number; depth: number; cubeSize: number; cubeOverlap: number };

export async function lockNeuron(tx: Tx, neuronId: string) {
  await tx.$executeRaw`SELECT 1 FROM "Neuron" WHERE "id" = ${neuronId} FOR UPDATE`;
}

/**
 * `seedable`: the consensus supervoxels sure enough to become a neighbour's seeds (default: all of the
 * consensus, as after a reviewer's override). Seeds are forced into every later trace, so an unsure one
 * would carry a mistake on from cube to cube.
 */
export async function spawnNeighbours(tx: Tx, task: RetiredTask, neuron: NeuronSettings, dataset: DatasetRow, seedable?: ReadonlySet<number>): Promise<ExitRecord[]> {
  const grid = datasetGrid(dataset);
  const box = { x0: task.x0, y0: task.y0, z0: task.z0, x1: task.x1, y1: task.y1, z1: task.z1 };
  const cell = task.gridX === null || task.gridY === null || task.gridZ === null ? null : { gx: task.gridX, gy: task.gridY, gz: task.gridZ };
  // A cube from before the grid (or from another grid) cannot name its neighbours: it does not spawn.
  const onGrid = cell !== null && JSON.stringify(cellBox(grid, cell)) === JSON.stringify(box);
  const cube = await cubeContents(dataset.slug, box);
  const consensus = new Set(task.consensus);
  const exits: ExitRecord[] = [];
  for (const exit of faceExits(cube.labels, cube.size, consensus)) {
    if (exit.voxels < neuron.minExitVoxels) continue;
    const neighbour = onGrid ? neighbourCell(grid, cell, exit) : null;
    const record: ExitRecord = { ...exit, neighbour, taskId: null, seeds: [] };
    exits.push(record);
    if (!neighbour) continue;
    const nbox = cellBox(grid, neighbour);
    const overlap = intersectBoxes(box, nbox);
    const local = { x0: overlap.x0 - box.x0, y0: overlap.y0 - box.y0, z0: overlap.z0 - box.z0, x1: overlap.x1 - box.x0, y1: overlap.y1 - box.y0, z1: overlap.z1 - box.z0 };
    const inOverlap = consensusCountsInBox(cube.labels, cube.size, seedable ?? consensus, local);
    if (inOverlap.size === 0) continue;
    const contents = await cubeContents(dataset.slug, nbox);
    const inNeighbour = new Map(contents.ids.map((id, i) => [id, contents.sizes[i]!]));
    const seeds = neighbourSeeds(inOverlap, inNeighbour, SEED_MIN_SHARE);
    record.seeds = seeds;
    // The neuron's cubes of that cell: its first one, and follow-ups for branches that re-entered it.
    const cellTasks = await tx.task.findMany({
      where: { neuronId: task.neuronId, gridX: neighbour.gx, gridY: neighbour.gy, gridZ: neighbour.gz },
      select: { id: true, status: true, submissions: true, seeds: true, consensus: true, pass: true },
      orderBy: { pass: "asc" },
    });
    let pass = 0;
    if (cellTasks.length > 0) {
      const traced = cellTasks.filter((t) => t.status !== "OPEN" || t.submissions > 0);
      const covered = new Set(traced.flatMap((t) => [...t.seeds, ...t.consensus]));
      const adjacency = traced.length > 0 ? await cubeAdjacency(dataset.slug, nbox) : new Map<number, Set<number>>();
      const untraced = cellTasks.find((t) => t.status === "OPEN" && t.submissions === 0);
      record.taskId = (untraced ?? cellTasks[0]!).id;
      if (untraced) {
        // Nobody has traced it yet: it can still take the new seeds (those the cell's traced cubes never judged).
        const merged = [...new Set([...untraced.seeds, ...unjudgedSeeds(seeds, covered, adjacency)])].sort((a, b) => a - b);
        if (merged.length > untraced.seeds.length) await tx.task.update({ where: { id: untraced.id }, data: { seeds: merged } });
        continue;
      }
      // Traced already: a branch its players never had in reach gets a follow-up cube of the cell.
      if (cellTasks.length >= neuron.maxCubesPerCell) continue;
      const fresh = reentry(seeds, faceCounts(cube.labels, cube.size, consensus, exit), covered, adjacency, neuron.minExitVoxels);
      if (!fresh) continue;
      record.seeds = fresh;
      pass = cellTasks[cellTasks.length - 1]!.pass + 1;
    }
    const created = await tx.task.create({
      data: {
        datasetId: task.datasetId,
        neuronId: task.neuronId,
        kind: "CAMPAIGN",
        gridX: neighbour.gx,
        gridY: neighbour.gy,
        gridZ: neighbour.gz,
        pass,
        parentTaskId: task.id,
        ...nbox,
        seeds: record.seeds,
        supervoxelIds: contents.ids,
        supervoxelSizes: contents.sizes,
        redundancy: neuron.minPlayers,
        maxPlayers: neuron.maxPlayers,
      },
      select: { id: true },
    });
    record.taskId = created.id;
  }
  await tx.task.update({ where: { id: task.id }, data: { exits: exits as unknown as Prisma.InputJsonValue } });
  return exits;
}

/** Marks the neuron complete when no cube of it is open any more. */
export async function completeIfDone(tx: Tx, neuronId: string): Promise<boolean> {
  const open = await tx.task.count({ where: { neuronId, status: "OPEN" } });
  if (open > 0) return false;
  await tx.neuron.update({ where: { id: neuronId }, data: { status: "COMPLETE", completedAt: new Date() } });
  return true;
}

