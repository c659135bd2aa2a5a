// Ingests the bundled sample once into a test store shared by all test files (read-only for them).
import { existsSync } from "node:fs";
import path from "node:path";
import { ingestVolume } from "@/server/ingest/ingest";
import { SAMPLE } from "@/server/cli/setup";

export const TEST_STORE = path.resolve(".data", "test-store");

export default async function globalSetup() {
  process.env.AXONAUT_STORE = TEST_STORE;
  if (existsSync(path.join(TEST_STORE, SAMPLE.slug, "manifest.json"))) return;
  await ingestVolume({
    source: path.join(SAMPLE.dir, "slices"),
    name: SAMPLE.name,
    slug: SAMPLE.slug,
    voxelSize: SAMPLE.voxelSize,
    supervoxels: path.join(SAMPLE.dir, "labels", "supervoxels.u32.raw.gz"),
    groundTruth: path.join(SAMPLE.dir, "labels", "ground-truth.u32.raw.gz"),
    storeDir: TEST_STORE,
    license: SAMPLE.license,
    attribution: SAMPLE.attribution,
  });
}
