// The demo campaign: a few of the largest ground-truth neurons of a dataset, each started from a seed
// point deep inside the neuron near its centre. Ground truth only chooses seeds; players never see it.
import type { Db } from "@/server/db/client";
import { supervoxelStats } from "@/core/label-volume";
import { loadLabelBox, readManifest } from "@/server/store/store";
import { startNeuron, type NeuronSettings } from "./neurons";
import { notFound } from "./errors";

export async function seedDemoCampaign(db: Db, datasetId: string, opts: { neurons?: number; settings?: Partial<NeuronSettings> } = {}) {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) throw notFound("dataset");
  if (!dataset.hasGroundTruth) return [];
  const volume = await groundTruthBodies(dataset.slug);
  const created = [];
  for (const b of volume.bodies.slice(0, opts.neurons ?? 4)) {
    const seed = seedNear(volume.gt, volume.sv, volume.shape, b.body, b.centroid);
    if (!seed) continue;
    const neuron = await startNeuron(db, { datasetId, name: `Medulla neuron ${created.length + 1}`, seed, gtBodyId: b.body, ...(opts.settings ? { settings: opts.settings } : {}) });
    created.push(neuron);
  }
  return created;
}

/** The whole volume's ground truth and supervoxels, and its bodies from the largest down. Server-side only. */
export function groundTruthBodies(slug: string): ReturnType<typeof readBodies> {
  // The last volume read is kept: seeding a campaign and its practice cubes read the same one.
  if (lastBodies?.slug !== slug) lastBodies = { slug, bodies: readBodies(slug) };
  lastBodies.bodies.catch(() => (lastBodies = null));
  return lastBodies.bodies;
}
let lastBodies: { slug: string; bodies: ReturnType<typeof readBodies> } | null = null;

async function readBodies(slug: string) {
  const manifest = await readManifest(slug);
  const { x: sx, y: sy, z: sz } = manifest.shape;
  const whole = { x0: 0, y0: 0, z0: 0, x1: sx, y1: sy, z1: sz };
  const gt = await loadLabelBox(slug, "ground-truth", whole, manifest);
  const sv = await loadLabelBox(slug, "supervoxels", whole, manifest);
  const stats = supervoxelStats(gt, manifest.shape);
  const bodies = Array.from(stats.ids.keys())
    .sort((a, b) => stats.sizes[b]! - stats.sizes[a]! || stats.ids[a]! - stats.ids[b]!)
    .map((k) => ({ body: stats.ids[k]!, size: stats.sizes[k]!, centroid: { x: stats.centroids[3 * k]!, y: stats.centroids[3 * k + 1]!, z: stats.centroids[3 * k + 2]! } }));
  return { shape: manifest.shape, gt, sv, bodies };
}

/**
 * The body voxel nearest the centroid whose 6 neighbours are all in the body (so not on a membrane) and
 * whose supervoxel is not 0 and lies mostly in the body: a seed is forced into every trace of its cube and
 * handed on to the cubes that grow from it, so a supervoxel merged with another cell must not be one.
 * Falls back to any supervoxel when the body has no pure one.
 */
export function seedNear(gt: Uint32Array, sv: Uint32Array, shape: { x: number; y: number; z: number }, body: number, c: { x: number; y: number; z: number }) {
  const inBody = new Map<number, number>();
  const total = new Map<number, number>();
  for (let i = 0; i < gt.length; i++) if (gt[i] === body) inBody.set(sv[i]!, (inBody.get(sv[i]!) ?? 0) + 1);
  for (let i = 0; i < sv.length; i++) if (inBody.has(sv[i]!)) total.set(sv[i]!, (total.get(sv[i]!) ?? 0) + 1);
  const pure = new Set([...inBody].filter(([s, n]) => 2 * n > total.get(s)!).map(([s]) => s));
  return nearestSeed(gt, sv, shape, body, c, (s) => pure.has(s)) ?? nearestSeed(gt, sv, shape, body, c, () => true);
}

function nearestSeed(gt: Uint32Array, sv: Uint32Array, shape: { x: number; y: number; z: number }, body: number, c: { x: number; y: number; z: number }, ok: (supervoxel: number) => boolean) {
  const { x: sx, y: sy, z: sz } = shape;
  const plane = sx * sy;
  let best = -1;
  let bestD = Infinity;
  for (let z = 1; z < sz - 1; z++) {
    for (let y = 1; y < sy - 1; y++) {
      let i = z * plane + y * sx + 1;
      for (let x = 1; x < sx - 1; x++, i++) {
        if (gt[i] !== body || sv[i] === 0 || !ok(sv[i]!)) continue;
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
