// The SWC download of a neuron (GET /api/v1/neurons/<id>/skeleton.swc): one of the exports in
// server/export/export-neuron.ts, kept under its old name for the route and tests that call it.
import type { Db } from "@/server/db/client";
import { exportNeuron } from "@/server/export/export-neuron";

export { consensusMask } from "@/server/export/reconstruction";

export async function neuronSkeletonSwc(db: Db, neuronId: string): Promise<{ filename: string; swc: string }> {
  const [file] = await exportNeuron(db, neuronId, "swc");
  return { filename: file!.path, swc: String(file!.data) };
}
