/**
 * Does running the boundary model on xy, xz and yz slices (averaged) make better supervoxels than xy
 * slices alone? Compares both boundary maps through the same watershed + agglomeration settings on the
 * NeuroProof train and validation slabs (z 0-174; nothing of the test slab is read) and on the gala
 * crop (../shared/data, another FIB-SEM volume with dense labels; skipped with a message if absent).
 *
 *   npx tsx bench/boundary-planes.ts
 *
 * Session 5 ran it before deciding (see bench/tune-supervoxels.ts, "planes"): xz/yz help on the train
 * slab and on gala, not on validation purity, so ingest stays on xy slices.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { segmentationScores } from "@/core/segmentation-metrics";
import { makeSupervoxels, type SupervoxelParams } from "@/core/supervoxels";
import { SAMPLE } from "@/server/cli/sample";
import { DEFAULT_MODEL_PATH, loadBoundaryModel, predictBoundaryPlanes } from "@/server/ingest/boundary-model";
import { readLabels } from "@/server/ingest/read-labels";
import { readSlices } from "@/server/ingest/read-slices";

const SETTINGS: Record<string, Partial<SupervoxelParams>> = {
  "shipped default (rule v4)": {},
  "mean < 0.3, min 200": { quantile: null, mergeThreshold: 0.3, largeSize: null, largeThreshold: null },
  "q0.6 < 0.35": { mergeThreshold: 0.35 },
};
const model = await loadBoundaryModel(DEFAULT_MODEL_PATH);

async function compare(label: string, grey: Uint8Array, shape: { x: number; y: number; z: number }, gt: Uint32Array, slabs: [string, number, number][]) {
  const plane = shape.x * shape.y;
  for (const planes of ["xy", "all"] as const) {
    const b = await predictBoundaryPlanes(model, grey, shape, planes);
    for (const [name, p] of Object.entries(SETTINGS)) {
      const r = makeSupervoxels(b, shape, p);
      for (const [slab, z0, z1] of slabs) {
        const s = segmentationScores(r.labels, gt, plane, z0, z1);
        console.log(
          `${label} ${slab.padEnd(10)} ${planes === "xy" ? "xy      " : "xy+xz+yz"}  ${name.padEnd(26)} purity ${(100 * s.purity).toFixed(2)} %  sv/neuron ${s.supervoxelsPerNeuron.toFixed(2)}  VI split ${s.viSplit.toFixed(3)}  VI merge ${s.viMerge.toFixed(3)}  ARE ${s.adaptedRandError.toFixed(4)}`,
        );
      }
    }
  }
}

const all = await readSlices(path.join(SAMPLE.dir, "slices"));
const plane = all.width * all.height;
const z1 = SAMPLE.split.validation[1] + 1; // stops where the test slab starts
const full = { x: all.width, y: all.height, z: all.depth };
const gt = (await readLabels(SAMPLE.groundTruth, full)).slice(0, z1 * plane);
await compare("neuroproof", all.data.subarray(0, z1 * plane), { ...full, z: z1 }, gt, [
  ["train", SAMPLE.split.train[0], SAMPLE.split.train[1] + 1],
  ["validation", SAMPLE.split.validation[0], z1],
]);

const gala = path.resolve("..", "shared", "data", "gala-fibsem-crop");
if (!existsSync(path.join(gala, "train-image-png"))) console.log(`gala crop not found at ${gala}: skipped`);
else {
  const s = await readSlices(path.join(gala, "train-image-png"));
  const shape = { x: s.width, y: s.height, z: s.depth };
  await compare("gala      ", s.data, shape, await readLabels(path.join(gala, "derived", "train-gt_uint32_zyx.raw.gz"), shape), [["all", 0, shape.z]]);
}
await model.close();
