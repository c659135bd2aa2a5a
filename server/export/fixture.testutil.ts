// TEST ONLY: a neuron of the bundled sample whose root cube has retired with the ground-truth
// answer as consensus, and three players' traces, on a real database (no mocks).
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db/client";
import { SAMPLE } from "@/server/cli/setup";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { createGuest } from "@/server/services/users";
import { loadLabelBox, readManifest } from "@/server/store/store";

export async function seedNeuronWithConsensus(db: Db) {
  const { datasetId } = await registerDatasetIn(db, await readManifest(SAMPLE.slug));
  await seedDemoCampaign(db, datasetId);
  const neurons = await db.neuron.findMany({ where: { datasetId, isPractice: false }, include: { tasks: true }, orderBy: { name: "asc" } });
  const neuron = neurons[0]!;
  const other = neurons[1]!;
  const task = neuron.tasks[0]!;
  const box = { x0: task.x0, y0: task.y0, z0: task.z0, x1: task.x1, y1: task.y1, z1: task.z1 };
  const sv = await loadLabelBox(SAMPLE.slug, "supervoxels", box);
  const gt = await loadLabelBox(SAMPLE.slug, "ground-truth", box);
  const inBody = new Map<number, number>();
  const total = new Map<number, number>();
  for (let i = 0; i < sv.length; i++) {
    total.set(sv[i]!, (total.get(sv[i]!) ?? 0) + 1);
    if (gt[i] === neuron.gtBodyId) inBody.set(sv[i]!, (inBody.get(sv[i]!) ?? 0) + 1);
  }
  const truth = [...total].filter(([s, n]) => s !== 0 && (inBody.get(s) ?? 0) * 2 > n).map(([s]) => s).sort((a, b) => a - b);
  const players = await Promise.all([createGuest(db), createGuest(db), createGuest(db)]);
  for (const [i, p] of players.entries()) {
    await db.trace.create({ data: { id: randomUUID(), taskId: task.id, userId: p.userId, supervoxels: i === 1 ? truth.slice(1) : truth, points: 100 + i, result: {} } });
  }
  await db.task.update({ where: { id: task.id }, data: { consensus: truth, status: "RETIRED", submissions: 3, confidence: 0.97, retiredAt: new Date() } });
  // Voxels of the consensus inside the cube, counted independently of the exporters.
  const keep = new Set(truth);
  let voxels = 0;
  for (let i = 0; i < sv.length; i++) if (keep.has(sv[i]!)) voxels++;
  const usernames = (await db.user.findMany({ where: { id: { in: players.map((p) => p.userId) } } })).map((u) => u.username);
  return { datasetId, neuron, otherNeuronId: other.id, task, box, truth, voxels, players, usernames };
}
