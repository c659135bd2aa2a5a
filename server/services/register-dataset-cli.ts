// For the ingest CLI only: opens the configured database (applying migrations), registers the dataset, and
// closes it. Kept apart from register-dataset.ts so the web server's bundles never pull in the schema engine.
import type { Manifest } from "@/server/ingest/manifest";
import { openDatabase } from "@/server/db/migrated";
import { registerDatasetIn } from "./register-dataset";

export async function registerDataset(manifest: Manifest, opts: { replace?: boolean } = {}): Promise<{ datasetId: string }> {
  const handle = await openDatabase();
  try {
    return await registerDatasetIn(handle.db, manifest, opts);
  } finally {
    await handle.close();
  }
}
