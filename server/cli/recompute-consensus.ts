// `npx tsx server/cli/recompute-consensus.ts --dataset <slug> | --neuron <id> | --campaign <id> [--now]`:
// queues a consensus recomputation (server/services/consensus-recompute.ts) of a neuron, a whole dataset or a
// campaign. The Job row is picked up by any running instance's job runtime (its sweeper enqueues rows no queue
// has seen within 30 s); `--now` runs it in this process instead and prints the summary.
import { openDatabase } from "@/server/db/migrated";
import { requestRecompute, runRecomputeJob, type RecomputeScope } from "@/server/services/consensus-recompute";

const USAGE = "usage: recompute-consensus.ts --dataset <slug> | --neuron <id> | --campaign <id> [--now]";
const argv = process.argv.slice(2);
const now = argv.includes("--now");
const rest = argv.filter((a) => a !== "--now");
if (rest.length !== 2 || !["--dataset", "--neuron", "--campaign"].includes(rest[0]!) || !rest[1]) {
  console.error(USAGE);
  process.exit(2);
}
const [flag, value] = rest as [string, string];
const handle = await openDatabase();
try {
  let scope: RecomputeScope;
  if (flag === "--dataset") {
    const d = await handle.db.dataset.findUnique({ where: { slug: value }, select: { id: true } });
    if (!d) throw new Error(`no dataset "${value}"`);
    scope = { datasetId: d.id };
  } else scope = flag === "--neuron" ? { neuronId: value } : { campaignId: value };
  const jobId = await requestRecompute(handle.db, scope);
  if (now) {
    await runRecomputeJob(handle.db, jobId);
    const job = await handle.db.job.findUniqueOrThrow({ where: { id: jobId } });
    console.log(`${job.status}: ${JSON.stringify(job.result ?? job.error)}`);
    if (job.status !== "SUCCEEDED") process.exitCode = 1;
  } else console.log(`queued job ${jobId}`);
} catch (err) {
  console.error(`error: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
