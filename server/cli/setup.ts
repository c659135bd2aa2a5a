// First-run setup (run by `npm start` before the server): migrations, the bundled sample volume, the
// demo campaign. Idempotent: each step is skipped when already done.
import { existsSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "@/server/db/migrated";
import { DEFAULT_MODEL_PATH } from "@/server/ingest/boundary-model";
import { ingestVolume } from "@/server/ingest/ingest";
import { registerDatasetIn } from "@/server/services/register-dataset";
import { seedDemoCampaign } from "@/server/services/demo-campaign";
import { createPracticeCubes } from "@/server/services/practice";
import { readManifest, storeRoot } from "@/server/store/store";
import { SAMPLE } from "./sample";

export { SAMPLE };

export async function setup(log: (line: string) => void = (l) => console.log(l)) {
  const handle = await openDatabase();
  try {
    log(`database: ${handle.kind} (migrations applied)`);
    const store = storeRoot();
    if (!existsSync(path.join(store, SAMPLE.slug, "manifest.json"))) {
      log(`ingesting the sample volume into ${store} …`);
      let last = "";
      await ingestVolume({
        source: path.join(SAMPLE.dir, "slices"),
        name: SAMPLE.name,
        slug: SAMPLE.slug,
        voxelSize: SAMPLE.voxelSize,
        // The shipped over-segmentation stays the game's supervoxels until ours beat it on the test
        // slab (npm run eval:segmentation; docs/model-contract.md). The boundary model scores its
        // region graph (graph.json) for the suggestions.
        supervoxels: SAMPLE.shippedSupervoxels,
        model: DEFAULT_MODEL_PATH,
        groundTruth: SAMPLE.groundTruth,
        storeDir: store,
        license: SAMPLE.license,
        attribution: SAMPLE.attribution,
        onProgress: (p) => {
          if (p.stage !== last && p.done === p.total) log(`  ${p.stage}: ${p.total} done`);
          if (p.done === p.total) last = p.stage;
        },
      });
    }
    const { db } = handle;
    let dataset = await db.dataset.findUnique({ where: { slug: SAMPLE.slug } });
    if (!dataset) {
      const { datasetId } = await registerDatasetIn(db, await readManifest(SAMPLE.slug));
      dataset = await db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
      log(`registered dataset "${dataset.name}"`);
    }
    if ((await db.neuron.count({ where: { datasetId: dataset.id } })) === 0) {
      const neurons = await seedDemoCampaign(db, dataset.id);
      log(`demo campaign: ${neurons.length} neurons seeded`);
    }
    if (dataset.hasGroundTruth && (await db.task.count({ where: { datasetId: dataset.id, kind: "PRACTICE" } })) === 0) {
      const practice = await createPracticeCubes(db, dataset.id);
      log(`practice cubes: ${practice.length}`);
    }
  } finally {
    await handle.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  setup().catch((err) => {
    console.error(`error: setup failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
