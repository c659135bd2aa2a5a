// Makes an ingested dataset (its manifest) visible in the database.
import type { Db } from "@/server/db/client";
import type { Manifest } from "@/server/ingest/manifest";
import { removeNeuronExports } from "@/server/export/export-store";
import { conflict } from "./errors";

export async function registerDatasetIn(db: Db, manifest: Manifest, opts: { replace?: boolean } = {}): Promise<{ datasetId: string }> {
  const data = {
    name: manifest.name,
    width: manifest.shape.x,
    height: manifest.shape.y,
    depth: manifest.shape.z,
    voxelSizeX: manifest.voxelSize.x,
    voxelSizeY: manifest.voxelSize.y,
    voxelSizeZ: manifest.voxelSize.z,
    tileSize: manifest.tileSize,
    levels: manifest.levels,
    chunkSize: manifest.chunkSize,
    supervoxelCount: manifest.supervoxelCount,
    hasGroundTruth: manifest.hasGroundTruth,
    license: manifest.license,
    attribution: manifest.attribution,
  };
  const existing = await db.dataset.findUnique({ where: { slug: manifest.slug } });
  if (existing && !opts.replace) throw conflict(`dataset "${manifest.slug}" is already registered (use --replace)`);
  if (existing) {
    // The volume changed under its tasks: they no longer mean anything, so they go.
    const gone = await db.neuron.findMany({ where: { datasetId: existing.id }, select: { id: true } });
    await db.$transaction([db.neuron.deleteMany({ where: { datasetId: existing.id } }), db.dataset.update({ where: { id: existing.id }, data })]);
    await removeNeuronExports(gone.map((n) => n.id));
    return { datasetId: existing.id };
  }
  const created = await db.dataset.create({ data: { slug: manifest.slug, ...data } });
  return { datasetId: created.id };
}
