/**
 * Recompute the crowd consensus of a neuron, a whole dataset or a campaign with the players'
 * current reliabilities (server/services/consensus-recompute.ts):
 *
 *   npm run recompute:consensus -- --dataset <slug> | --neuron <id> | --campaign <id> [--now]
 *
 * Without --now it queues the job (a Job row that any running instance's job runtime picks up; its
 * sweeper enqueues rows no queue has seen within 30 s) and prints the job id; with --now it runs the
 * job in this process and prints its summary. Exactly one scope; an unknown one is an error and
 * queues nothing. Exit code 0, or 1 with one line "error: ..." on bad input or a failed job.
 */
import { z } from "zod";
import { requestRecompute, runRecomputeJob, type RecomputeScope } from "@/server/services/consensus-recompute";
import { argsOrExitCode, datasetSlugOption, parseCommandLine, runIfMain, UsageError } from "./args";
import { withDatabase } from "./with-database";

const USAGE = `usage: npm run recompute:consensus -- --dataset <slug> | --neuron <id> | --campaign <id> [--now]

  --dataset   every neuron of the dataset (slug)
  --neuron    one neuron (its id, a UUID)
  --campaign  every neuron of the campaign (its id, a UUID)
  --now       run it here and print the summary instead of queueing it`;

const uuid = (what: string) => z.string().trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `must be a ${what} id (a UUID)`);
const argsSchema = z
  .object({ "--dataset": datasetSlugOption.optional(), "--neuron": uuid("neuron").optional(), "--campaign": uuid("campaign").optional(), "--now": z.boolean() })
  .refine((a) => [a["--dataset"], a["--neuron"], a["--campaign"]].filter((x) => x !== undefined).length === 1, "give exactly one of --dataset, --neuron, --campaign");
export type RecomputeArgs = z.output<typeof argsSchema>;

export function parseRecomputeArgs(argv: string[]): RecomputeArgs | "help" {
  return parseCommandLine(argv, {
    options: { dataset: { type: "string" }, neuron: { type: "string" }, campaign: { type: "string" }, now: { type: "boolean", default: false } },
    schema: argsSchema,
  });
}

export async function main(argv: string[]): Promise<number> {
  const parsed = argsOrExitCode(parseRecomputeArgs, argv, USAGE);
  if ("exitCode" in parsed) return parsed.exitCode;
  const args = parsed.args;
  return withDatabase(async (db) => {
    let scope: RecomputeScope;
    if (args["--dataset"] !== undefined) {
      const d = await db.dataset.findUnique({ where: { slug: args["--dataset"] }, select: { id: true } });
      if (!d) throw new UsageError(`dataset "${args["--dataset"]}" not found`);
      scope = { datasetId: d.id };
    } else if (args["--neuron"] !== undefined) {
      if (!(await db.neuron.findUnique({ where: { id: args["--neuron"] }, select: { id: true } }))) throw new UsageError(`neuron ${args["--neuron"]} not found`);
      scope = { neuronId: args["--neuron"] };
    } else {
      if (!(await db.campaign.findUnique({ where: { id: args["--campaign"]! }, select: { id: true } }))) throw new UsageError(`campaign ${args["--campaign"]} not found`);
      scope = { campaignId: args["--campaign"]! };
    }
    const jobId = await requestRecompute(db, scope);
    if (!args["--now"]) {
      process.stdout.write(`queued job ${jobId}\n`);
      return 0;
    }
    await runRecomputeJob(db, jobId);
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    process.stdout.write(`${job.status}: ${JSON.stringify(job.result ?? job.error)}\n`);
    return job.status === "SUCCEEDED" ? 0 : 1;
  });
}

runIfMain(import.meta.url, main);
