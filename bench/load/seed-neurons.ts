// `DATABASE_URL=… AXONAUT_STORE=… tsx bench/load/seed-neurons.ts N`: replaces the demo campaign's neurons of a
// set-up database with the N largest ground-truth bodies' (the load bench: enough open cubes that the
// players measure the server, not a campaign that runs out of cubes within the run).
import { connectDatabase } from "@/server/db/client";
import { seedDemoCampaign } from "@/server/services/demo-campaign";

const n = Number(process.argv[2]);
if (!Number.isInteger(n) || n < 1) throw new Error("usage: seed-neurons.ts <neurons>");
const { db, close } = await connectDatabase();
try {
  const dataset = await db.dataset.findFirstOrThrow({ where: { hasGroundTruth: true }, orderBy: { createdAt: "asc" } });
  await db.neuron.deleteMany({ where: { datasetId: dataset.id, isPractice: false, campaignId: null } });
  const made = await seedDemoCampaign(db, dataset.id, { neurons: n });
  console.log(`${made.length} neurons`);
} finally {
  await close();
}
