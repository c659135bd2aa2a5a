// The demo campaign: a few of the largest ground-truth neurons of a dataset, each started from a seed
// point deep inside the neuron near its centre. Ground truth only chooses seeds; players never see it.
import type { Db } from "@/server/db/client";
import { supervoxelStats } from "@/core/label-volume";
import { loadLabelBox, readManifest } from "@/server/store/store";
import { startNeuron } from "./neurons";
import { notFound } from "./errors";

export async function seedDemoCampaign(db: Db, datasetId: string, opts: { neurons?: number } = {}) {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw notFound("dataset");
  if (!dataset.hasGroundTruth) return [];
  const manifest = await readManifest(dataset.slug);
  const { x: sx, y: sy, z: sz } = manifest.shape;
  const whole = { x0: 0, y0: 0, z0: 0, x1: sx, y1: sy, z1: sz };
  const gt = await loadLabelBox(dataset.slug, "ground-truth", whole, manifest);
  const sv = await loadLabelBox(dataset.slug, "supervoxels", whole, manifest);
  const stats = supervoxelStats(gt, manifest.shape);
  const order = Array.from(stats.ids.keys()).sort((a, b) => stats.sizes[b]! - stats.sizes[a]!);
  const created = [];
  for (const k of order.slice(0, opts.neurons ?? 4)) {
    const body = stats.ids[k]!;
    const seed = seedNear(gt, sv, manifest.shape, body, { x: stats.centroids[3 * k]!, y: stats.centroids[3 * k + 1]!, z: stats.centroids[3 * k + 2]! });
    if (!seed) continue;
    const neuron = await startNeuron(db, { datasetId, name: `Medulla neuron ${created.length + 1}`, seed, gtBodyId: body });
    created.push(neuron);
  }
  return created;
}

/**
 * The body voxel nearest the centroid whose 6 neighbours are all in the body (so not on a membrane) and
 * whose supervoxel is not 0.
 */
function seedNear(gt: Uint32Array, sv: Uint32Array, shape: { x: number; y: number; z: number }, body: number, c: { x: number; y: number; z: number }) {
  const { x: sx, y: sy, z: sz } = shape;
  const plane = sx * sy;
  let best = -1;
  let bestD = Infinity;
  for (let z = 1; z < sz - 1; z++) {
    for (let y = 1; y < sy - 1; y++) {
      let i = z * plane + y * sx + 1;
      for (let x = 1; x < sx - 1; x++, i++) {
        if (gt[i] !== body || sv[i] === 0) continue;
        if (gt[i - 1] !== body || gt[i + 1] !== body || gt[i - sx] !== body || gt[i + sx] !== body || gt[i - plane] !== body || gt[i + plane] !== body) continue;
        const d = (x - c.x) ** 2 + (y - c.y) ** 2 + (z - c.z) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
    }
  }
  if (best < 0) return null;
  return { x: best % sx, y: Math.floor(best / sx) % sy, z: Math.floor(best / plane) };
}
