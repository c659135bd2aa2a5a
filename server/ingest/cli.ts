/**
 * Import a volume into the data store and register it in the database.
 *
 *   npx tsx server/ingest/cli.ts <source> --name <name> [--format png|tiff|zarr|hdf5|precomputed]
 *       [--voxel-size 10,10,10] [--region x0,y0,z0,x1,y1,z1] [--labels <labels>] [--ground-truth <labels>]
 *       --license <text> --attribution <text> [--array <path>] [--slug <slug>] [--model <onnx> | --no-model]
 *       [--store <dir>] [--replace] [--no-db] [--progress-json]
 *
 * Exit code 0 on success, 1 with one line "error: ..." on bad input or failure, 130 on Ctrl-C.
 */
import path from "node:path";
import { z } from "zod";
import { argsOrExitCode, runIfMain, parseCommandLine, UsageError } from "@/server/cli/args";
import { errorText } from "./errors";
import { openVolume } from "./formats/open";
import { FORMATS, resolveVoxelSize, type FormatName } from "./formats/volume";
import { regionText, voxelSizeText } from "./arg-text";
import { ingestVolume, STAGE_UNITS, type IngestProgress, type IngestStage } from "./ingest";
import type { Manifest } from "./manifest";

const USAGE = `usage: npx tsx server/ingest/cli.ts <source> --name <name> --license <text> --attribution <text> [--voxel-size X,Y,Z]
  [--format png|tiff|zarr|hdf5|precomputed] [--region x0,y0,z0,x1,y1,z1] [--labels <labels>] [--ground-truth <labels>]
  [--array <path>] [--slug <slug>] [--model <boundary.onnx> | --no-model] [--license <text>] [--attribution <text>]
  [--store <dir>] [--replace] [--no-db] [--progress-json]

  <source>            a folder of PNG/TIFF slices (one per z, ordered by the number in the file name),
                      a multi-page TIFF, a Zarr v2/v3 or OME-Zarr folder (or .zip of one), an HDF5 file,
                      or a Neuroglancer precomputed folder or http(s) URL
  --format            skip autodetection
  --name              dataset name (the slug defaults to its lower-case kebab)
  --voxel-size        voxel size in nm, x,y,z (e.g. 10,10,10); required unless the format's metadata has it
                      (precomputed resolution, OME-Zarr scale, HDF5 resolution/element_size_um)
  --region            import only this half-open voxel box (zarr, hdf5, tiff, precomputed: only the
                      chunks that intersect it are read); precomputed coordinates include voxel_offset
  --labels            segmentation labels that become the supervoxels: a gz raw uint32 file (slice folder),
                      an array/dataset path inside the file (zarr, hdf5), or a precomputed layer (folder/URL)
  --ground-truth      same forms; stored but never served
  --array             the image array (zarr) or dataset (hdf5) when it cannot be found on its own
  --license           license of the data (stored in the manifest and the database, shown in the UI)
  --attribution       who to credit (same)
  --model             boundary model (ONNX, docs/model-contract.md). Without --labels the
                      model makes the supervoxels (default: public/models/boundary.onnx); with
                      --labels it only scores their region graph (graph.json)
  --no-model          no model: supervoxels only from --labels (or none)
  --store             store folder (default: $AXONAUT_STORE or .data/store)
  --replace           overwrite a dataset with the same slug (files and database row)
  --no-db             only write the store, do not register in the database
  --deny-private-hosts  refuse http(s) URLs on loopback or private networks (imports started by non-admins)
  --progress-json     progress as JSON lines on stdout ({"stage","done","total"}), then {"manifest"} (for the job queue)`;

/** \`AXONAUT_STORE\`, else \`<AXONAUT_DATA_DIR or .data>/store\` (same rule as server/store). */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AXONAUT_STORE ?? path.join(env.AXONAUT_DATA_DIR ?? ".data", "store");
}

const optionalPath = z.string().trim().min(1, "must not be empty").optional();

const argsSchema = z
  .object({
    source: z.string({ error: "missing the source (first argument): a folder, file or URL" }).trim().min(1, "must not be empty"),
    "--name": z.string({ error: "is required" }).trim().min(1, "must not be empty"),
    "--slug": z.string().trim().min(1, "must not be empty").optional(),
    "--format": z.enum(FORMATS as [FormatName, ...FormatName[]], { error: `must be one of ${FORMATS.join(", ")}` }).optional(),
    "--voxel-size": voxelSizeText.optional(),
    "--region": regionText.optional(),
    "--labels": optionalPath,
    "--supervoxels": optionalPath,
    "--ground-truth": optionalPath,
    "--array": optionalPath,
    "--model": optionalPath,
    "--no-model": z.boolean(),
    // every dataset carries its terms: shown in the UI and repeated by every export
    "--license": z.string({ error: 'is required (the data\'s license, e.g. --license "CC BY 4.0")' }).trim().min(1, "must not be empty").max(500),
    "--attribution": z.string({ error: 'is required (who to credit, e.g. --attribution "Janelia FlyEM")' }).trim().min(1, "must not be empty").max(2000),
    "--store": optionalPath,
    "--replace": z.boolean(),
    "--no-db": z.boolean(),
    "--progress-json": z.boolean(),
    "--deny-private-hosts": z.boolean(),
  })
  .refine((a) => !(a["--model"] && a["--no-model"]), { message: "--model and --no-model exclude each other", path: [] })
  .refine((a) => !(a["--labels"] && a["--supervoxels"]), { message: "--labels and --supervoxels (its old name) exclude each other", path: [] });
export type CliArgs = z.output<typeof argsSchema>;

const bool = { type: "boolean", default: false } as const;
const str = { type: "string" } as const;

/** Parse argv (without node and script) into validated options; throws UsageError with a one-line message. */
export function parseCliArgs(argv: string[]): CliArgs | "help" {
  return parseCommandLine(argv, {
    options: {
      name: str, slug: str, format: str, "voxel-size": str, region: str, labels: str, supervoxels: str, "ground-truth": str,
      array: str, model: str, "no-model": bool, license: str, attribution: str, store: str, replace: bool, "no-db": bool, "progress-json": bool, "deny-private-hosts": bool,
    },
    schema: argsSchema,
    positionals: { max: 1, what: "source (folder, file or URL)" },
  });
}
export { UsageError };

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

/** --progress-json: one JSON line per progress event on stdout, for a parent process (server/jobs). */
export function jsonReporter(stream: NodeJS.WritableStream = process.stdout) {
  let last = 0;
  let lastStage = "";
  return {
    timings: [] as { stage: IngestStage; ms: number }[],
    onProgress(p: IngestProgress) {
      const now = performance.now();
      // every stage change and stage end, else at most every 100 ms (the parent writes each to the DB)
      if (p.stage === lastStage && p.done !== p.total && now - last < 100) return;
      last = now;
      lastStage = p.stage;
      stream.write(`${JSON.stringify(p)}\n`);
    },
    end(_ok: boolean) {},
  };
}

// ---------------------------------------------------------------- registration

type RegisterDataset = (manifest: Manifest, opts?: { replace?: boolean }) => Promise<{ datasetId: string }>;

/** Loaded before ingest, so a missing/broken module fails fast instead of after minutes of work. */
async function loadRegisterDataset(): Promise<RegisterDataset> {
  const spec = "@/server/services/register-dataset-cli"; // a variable: the module belongs to another room
  let mod: { registerDataset?: unknown };
  try {
    mod = (await import(spec)) as typeof mod;
  } catch (e) {
    // the "@/..." alias needs tsconfig paths (tsx run from the repo root); fall back to the file itself
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw e;
    try {
      mod = (await import(new URL("../services/register-dataset-cli.ts", import.meta.url).href)) as typeof mod;
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
  const parsed = argsOrExitCode(parseCliArgs, argv, USAGE);
  if ("exitCode" in parsed) return parsed.exitCode;
  const args = parsed.args;

  const storeDir = path.resolve(args["--store"] ?? defaultStoreDir());
  const json = args["--progress-json"];
  const reporter = json ? jsonReporter() : progressReporter();
  const ac = new AbortController();
  const onSigint = () => {
    process.stderr.write("\ninterrupted, cleaning up (Ctrl-C again to quit at once)\n");
    ac.abort(new Error("interrupted"));
    process.once("SIGINT", () => process.exit(130));
  };
  process.once("SIGINT", onSigint);

  try {
    const register = args["--no-db"] ? null : await loadRegisterDataset();
    const opened = await openVolume({
      source: args.source,
      format: args["--format"],
      region: args["--region"],
      labels: args["--labels"] ?? args["--supervoxels"],
      groundTruth: args["--ground-truth"],
      array: args["--array"],
      // the CLI user chose the URL on their own machine; jobs of non-admins pass --deny-private-hosts
      allowPrivateHosts: !args["--deny-private-hosts"],
    });
    const where = typeof opened.volume === "string" ? path.resolve(opened.volume) : opened.volume.describe;
    const manifest = await ingestVolume({
      source: opened.volume,
      name: args["--name"],
      slug: args["--slug"],
      voxelSize: resolveVoxelSize(args["--voxel-size"], opened.voxelSize, where),
      supervoxels: opened.supervoxels,
      groundTruth: opened.groundTruth,
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
    if (json) process.stdout.write(`${JSON.stringify({ manifest, datasetId })}\n`);
    else process.stdout.write(`${summary(manifest, path.join(storeDir, manifest.slug), datasetId, performance.now() - t0)}\n`);
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

runIfMain(import.meta.url, main);
