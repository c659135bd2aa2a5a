// How good a campaign's reconstructions are: voxel F1 of each neuron against its ground-truth body, for the
// engine's consensus and for the weighted majority kept beside it (same traces, so equal cost).
import type { Db } from "@/server/db/client";
import { loadLabels } from "@/server/store/label-cache";
import { readManifest } from "@/server/store/store";

export type NeuronScore = {
  name: string;
  body: number;
  bodyVoxels: number;
  cubes: number;
  openCubes: number;
  traces: number;
  complete: boolean;
  /** F1 of the engine's consensus (the neuron's method). */
  f1: number;
  /** F1 of the weighted-majority consensus stored beside it. */
  majorityF1: number;
  /** Best F1 any selection of whole supervoxels could reach (each supervoxel in when mostly in the body). */
  ceiling: number;
};

export function voxelF1(mask: Uint8Array, gt: Uint32Array, body: number): number {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < mask.length; i++) {
    const inBody = gt[i] === body;
    if (mask[i]) inBody ? tp++ : fp++;
    else if (inBody) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

export async function scoreNeurons(db: Db, slug: string): Promise<NeuronScore[]> {
  const m = await readManifest(slug);
  const whole = { x0: 0, y0: 0, z0: 0, x1: m.shape.x, y1: m.shape.y, z1: m.shape.z };
  const [sv, gt] = await Promise.all([loadLabels(slug, "supervoxels", whole), loadLabels(slug, "ground-truth", whole)]);
  const { x: sx, y: sy } = m.shape;
  const neurons = await db.neuron.findMany({ where: { isPractice: false }, orderBy: { createdAt: "asc" }, include: { tasks: { where: { kind: "CAMPAIGN" } } } });
  const svTotal = new Map<number, number>();
  for (let i = 0; i < sv.length; i++) svTotal.set(sv[i]!, (svTotal.get(sv[i]!) ?? 0) + 1);

  return neurons.map((n) => {
    const body = n.gtBodyId!;
    const retired = n.tasks.filter((t) => t.status === "RETIRED");
    const mask = (pick: (t: (typeof retired)[number]) => number[]) => {
      const out = new Uint8Array(sv.length);
      for (const t of retired) {
        const keep = new Set(pick(t));
        for (let z = t.z0; z < t.z1; z++)
          for (let y = t.y0; y < t.y1; y++) {
            let i = (z * sy + y) * sx + t.x0;
            for (let x = t.x0; x < t.x1; x++, i++) if (keep.has(sv[i]!)) out[i] = 1;
          }
      }
      return out;
    };
    const inBody = new Map<number, number>();
    let bodyVoxels = 0;
    for (let i = 0; i < gt.length; i++) if (gt[i] === body) (bodyVoxels++, inBody.set(sv[i]!, (inBody.get(sv[i]!) ?? 0) + 1));
    const oracle = new Uint8Array(sv.length);
    const best = new Set([...inBody].filter(([s, k]) => 2 * k > svTotal.get(s)!).map(([s]) => s));
    for (let i = 0; i < sv.length; i++) if (best.has(sv[i]!)) oracle[i] = 1;
    return {
      name: n.name,
      body,
      bodyVoxels,
      cubes: n.tasks.length,
      openCubes: n.tasks.length - retired.length,
      traces: n.tasks.reduce((s, t) => s + t.submissions, 0),
      complete: n.status === "COMPLETE",
      f1: voxelF1(mask((t) => t.consensus), gt, body),
      majorityF1: voxelF1(mask((t) => t.majority), gt, body),
      ceiling: voxelF1(oracle, gt, body),
    };
  });
}
