// The bundled sample volume (data/neuroproof-medulla): what setup ingests and the evaluations default to.
import path from "node:path";

export const SAMPLE = {
  slug: "neuroproof-medulla",
  name: "NeuroProof medulla (FIB-SEM, Drosophila)",
  dir: path.resolve("data", "neuroproof-medulla"),
  voxelSize: { x: 10, y: 10, z: 10 },
  license: "CC BY 3.0 (https://creativecommons.org/licenses/by/3.0/)",
  attribution: "Janelia FlyEM (HHMI), janelia-flyem/neuroproof_examples (training_sample2)",
  /** The shipped watershed over-segmentation (3,337 supervoxels), kept for comparison. */
  shippedSupervoxels: path.resolve("data", "neuroproof-medulla", "labels", "supervoxels.u32.raw.gz"),
  groundTruth: path.resolve("data", "neuroproof-medulla", "labels", "ground-truth.u32.raw.gz"),
  /** Fixed split of the boundary model (issue #3), z ranges inclusive. */
  split: { train: [0, 149], validation: [150, 174], test: [175, 249] },
} as const;
