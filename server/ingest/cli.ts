/**
 * Ingest a folder of slice images into the data store and register it in the database.
 *
 *   npx tsx server/ingest/cli.ts <folder-of-png-slices> --name <name> --voxel-size 10,10,10
 *       [--slug <slug>] [--supervoxels <raw.gz>] [--ground-truth <raw.gz>] [--model <onnx> | --no-model]
 *       [--license <text>] [--attribution <text>] [--store <dir>] [--replace] [--no-db]
 *
 * Exit code 0 on success, 1 with one line "error: ..." on bad input or failure, 130 on Ctrl-C.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { errorText } from "./errors";
import { ingestVolume, STAGE_UNITS, type IngestProgress, type IngestStage } from "./ingest";
import type { Manifest } from "./manifest";

const USAGE = `usage: npx tsx server/ingest/cli.ts <folder-of-slices> --name <name> --voxel-size X,Y,Z
  [--slug <slug>] [--supervoxels <labels.u32.raw.gz>] [--ground-truth <labels.u32.raw.gz>]
  [--model <boundary.onnx> | --no-model] [--license <text>] [--attribution <text>] [--store <dir>] [--replace] [--no-db]

  <folder-of-slices>  PNG (or TIFF) slices, one per z, ordered by the number in the file name
  --name              dataset name (the slug defaults to its lower-case kebab)
  --voxel-size        voxel size in nm, x,y,z (e.g. 10,10,10)
  --supervoxels       gzip of raw little-endian uint32 labels, z,y,x, same shape as the slices
  --ground-truth      same format; stored but never served
  --model             boundary model (ONNX, docs/model-contract.md). Without --supervoxels the
                      model makes the supervoxels (default: public/models/boundary.onnx); with
                      --supervoxels it only scores their region graph (graph.json)
  --no-model          no model: supervoxels only from --supervoxels (or none)
  --store             store folder (default: $AXONAUT_STORE or .data/store)
  --replace           overwrite a dataset with the same slug (files and database row)
  --no-db             only write the store, do not register in the database`;

/** `AXONAUT_STORE`, else `<AXONAUT_DATA_DIR or .data>/store` (same rule as server/store). */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AXONAUT_STORE ?? path.join(env.AXONAUT_DATA_DIR ?? ".data", "store");
}

const voxelSizeArg = z
  .string({ error: "is required (voxel size in nm, e.g. --voxel-size 10,10,10)" })
  .transform((s, ctx) => {
    const parts = s.split(/[,x×\s]+/).filter((p) => p !== "");
    const nums = parts.map(Number);
    if (nums.length !== 3 || nums.some((n) => !Number.isFinite(n) || n <= 0)) {
      ctx.addIssue({ code: "custom", message: `expected three positive numbers like 10,10,10 (got "${s}")` });
      return z.NEVER;
    }
    return { x: nums[0]!, y: nums[1]!, z: nums[2]! };
  });

const optionalPath = z.string().trim().min(1, "must not be empty").optional();

const argsSchema = z.object({
  source: z.string({ error: "missing the folder of slice images (first argument)" }).trim().min(1, "must not be empty"),
  "--name": z.string({ error: "is required" }).trim().min(1, "must not be empty"),
  "--slug": z.string().trim().min(1, "must not be empty").optional(),
  "--voxel-size": voxelSizeArg,
  "--supervoxels": optionalPath,
  "--ground-truth": optionalPath,
  "--model": optionalPath,
  "--no-model": z.boolean(),
  "--license": z.string().optional(),
  "--attribution": z.string().optional(),
  "--store": optionalPath,
  "--replace": z.boolean(),
  "--no-db": z.boolean(),
});
export type CliArgs = z.output<typeof argsSchema>;

class UsageError extends Error {}

/** Parse argv (without node and script) into validated options; throws UsageError with a one-line message. */
export function parseCliArgs(argv: string[]): CliArgs | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: "string" },
        slug: { type: "string" },
        "voxel-size": { type: "string" },
        supervoxels: { type: "string" },
        "ground-truth": { type: "string" },
        model: { type: "string" },
        "no-model": { type: "boolean", default: false },
        license: { type: "string" },
        attribution: { type: "string" },
        store: { type: "string" },
        replace: { type: "boolean", default: false },
        "no-db": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`${errorText(e)} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length > 1) {
    throw new UsageError(`expected one folder of slices, got ${positionals.length} arguments: ${positionals.join(" ")}`);
  }
  const input: Record<string, unknown> = { source: positionals[0] };
  for (const [k, v] of Object.entries(values)) if (k !== "help") input[`--${k}`] = v;
  const r = argsSchema
    .refine((a) => !(a["--model"] && a["--no-model"]), { message: "--model and --no-model exclude each other", path: [] })
    .safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? String(issue.path[0]) : "";
    throw new UsageError(where === "source" ? issue.message : `${where} ${issue.message}`.trim());
  }
  return r.data;
}

// ---------------------------------------------------------------- progress on stderr

const STAGE_LABELS: Record<IngestStage, string> = {
  "check-slices": "check slices",
  "check-model": "check model",
  "read-slices": "read slices",
  "boundary-model": "boundary model",
  watershed: "watershed",
  agglomerate: "agglomerate",
  "read-supervoxels": "read supervoxels",
  "supervoxel-stats": "supervoxel stats",
  "supervoxel-chunks": "supervoxel chunks",
  "region-graph": "region graph",
  "read-ground-truth": "read ground truth",
  "ground-truth-chunks": "ground-truth chunks",
  tiles: "tiles",
  finalize: "finalize",
};

const fmtSeconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** One updating line per stage on a TTY; otherwise plain lines (stage end, and every ~2 s on long stages). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  let cur: { stage: IngestStage; start: number; done: number; total: number; lastDraw: number } | null = null;
  const timings: { stage: IngestStage; ms: number }[] = [];
  const line = (c: NonNullable<typeof cur>, suffix: string) =>
    `${STAGE_LABELS[c.stage]}: ${c.done}/${c.total} ${STAGE_UNITS[c.stage]}${suffix}`;
  const finish = () => {
    if (!cur) return;
    const ms = performance.now() - cur.start;
    timings.push({ stage: cur.stage, ms });
    const text = line(cur, `, ${fmtSeconds(ms)}`);
    stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    cur = null;
  };
  return {
    timings,
    onProgress(p: IngestProgress) {
      const now = performance.now();
      if (!cur || cur.stage !== p.stage) {
        finish();
        cur = { stage: p.stage, start: now, done: p.done, total: p.total, lastDraw: now };
        if (tty) stream.write(`\r\x1b[2K${line(cur, "")}`);
        return;
      }
      cur.done = p.done;
      cur.total = p.total;
      if (tty) {
        if (now - cur.lastDraw > 50 || p.done === p.total) {
          cur.lastDraw = now;
          const pct = p.total ? ` (${Math.floor((100 * p.done) / p.total)}%)` : "";
          stream.write(`\r\x1b[2K${line(cur, pct)}`);
        }
      } else if (now - cur.lastDraw > 2000 && p.done < p.total) {
        cur.lastDraw = now;
        stream.write(`${line(cur, " ...")}\n`);
      }
    },
    /** End the current stage (call when ingest returns or fails). */
    end(ok: boolean) {
      if (ok) finish();
      else if (cur) {
        if (tty) stream.write("\n");
        cur = null;
      }
    },
  };
}

// ---------------------------------------------------------------- registration

type RegisterDataset = (manifest: Manifest, opts?: { replace?: boolean }) => Promise<{ datasetId: string }>;

/** Loaded before ingest, so a missing/broken module fails fast instead of after minutes of work. */
async function loadRegisterDataset(): Promise<RegisterDataset> {
  const spec = "@/server/services/register-dataset"; // a variable: the module belongs to another room
  let mod: { registerDataset?: unknown };
  try {
    mod = (await import(spec)) as typeof mod;
  } catch (e) {
    // the "@/..." alias needs tsconfig paths (tsx run from the repo root); fall back to the file itself
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw e;
    try {
      mod = (await import(new URL("../services/register-dataset.ts", import.meta.url).href)) as typeof mod;
    } catch (e2) {
      throw new Error(
        `cannot load ${spec} for database registration (${errorText(e2)}); run with --no-db to only write the store`,
        { cause: e2 },
      );
    }
  }
  if (typeof mod.registerDataset !== "function") {
    throw new Error(`${spec} does not export registerDataset(); run with --no-db to only write the store`);
  }
  return mod.registerDataset as RegisterDataset;
}

// ---------------------------------------------------------------- main

function summary(m: Manifest, dir: string, datasetId: string | null, ms: number): string {
  const rows: [string, string][] = [
    ["slug", m.slug],
    ["store", dir],
    ["shape", `${m.shape.x} × ${m.shape.y} × ${m.shape.z} voxels (x × y × z)`],
    ["voxel size", `${m.voxelSize.x} × ${m.voxelSize.y} × ${m.voxelSize.z} nm`],
    ["tiles", `${m.levels} level(s) of ${m.tileSize} px tiles`],
    ["label chunks", `${m.chunkSize}³`],
    ["supervoxels", m.hasSupervoxels ? `${m.supervoxelCount}${m.supervoxelSource === "model" ? " (from the boundary model)" : ""}` : "none"],
    ["region graph", m.hasRegionGraph ? "graph.json" : "none"],
    ["ground truth", m.hasGroundTruth ? "yes (not served)" : "no"],
    ["license", m.license],
    ["attribution", m.attribution || "(none)"],
    ["database", datasetId ? `registered, dataset id ${datasetId}` : "not registered (--no-db)"],
    ["time", fmtSeconds(ms)],
  ];
  return [`ingested "${m.name}"`, ...rows.map(([k, v]) => `  ${(k + ":").padEnd(14)}${v}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const t0 = performance.now();
  let args: CliArgs | "help";
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`error: ${errorText(e)}\n`);
    return 1;
  }
  if (args === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const storeDir = path.resolve(args["--store"] ?? defaultStoreDir());
  const reporter = progressReporter();
  const ac = new AbortController();
  const onSigint = () => {
    process.stderr.write("\ninterrupted, cleaning up (Ctrl-C again to quit at once)\n");
    ac.abort(new Error("interrupted"));
    process.once("SIGINT", () => process.exit(130));
  };
  process.once("SIGINT", onSigint);

  try {
    const register = args["--no-db"] ? null : await loadRegisterDataset();
    const manifest = await ingestVolume({
      source: args.source,
      name: args["--name"],
      slug: args["--slug"],
      voxelSize: args["--voxel-size"],
      supervoxels: args["--supervoxels"],
      groundTruth: args["--ground-truth"],
      model: args["--no-model"] ? false : args["--model"],
      license: args["--license"],
      attribution: args["--attribution"],
      storeDir,
      replace: args["--replace"],
      onProgress: reporter.onProgress,
      signal: ac.signal,
    });
    reporter.end(true);
    let datasetId: string | null = null;
    if (register) {
      try {
        ({ datasetId } = await register(manifest, { replace: args["--replace"] }));
      } catch (e) {
        throw new Error(
          `dataset written to ${path.join(storeDir, manifest.slug)} but database registration failed: ${errorText(e)} (re-run with --replace to retry)`,
          { cause: e },
        );
      }
    }
    process.stdout.write(`${summary(manifest, path.join(storeDir, manifest.slug), datasetId, performance.now() - t0)}\n`);
    return 0;
  } catch (e) {
    reporter.end(false);
    if (ac.signal.aborted) {
      process.stderr.write("error: interrupted\n");
      return 130;
    }
    process.stderr.write(`error: ${errorText(e)}\n`);
    if (process.env.AXONAUT_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code), // exit explicitly: a database client may keep the event loop alive
    (e) => {
      process.stderr.write(`error: ${errorText(e)}\n`);
      process.exit(1);
    },
  );
}
