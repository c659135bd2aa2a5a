/**
 * Export one neuron's consensus reconstruction for scripts and pipelines:
 *
 *   npm run export -- --dataset <slug> --neuron <id> --format swc|nml|precomputed|csv --out <dir>
 *
 * The database comes from DATABASE_URL (postgresql://… or pglite:<dir>; default the embedded
 * PGlite under .data), the label store from AXONAUT_STORE. Files are written under --out (created
 * when missing; existing files of the same names are replaced) and listed on stdout, one per line:
 * "<bytes>\t<path>". Exit code 0, or 1 with one line "error: ..." (bad arguments, unknown dataset or
 * neuron, no consensus yet); nothing is written on error.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { EXPORT_FORMATS, exportNeuron, type ExportFile } from "@/server/export/export-neuron";
import { argsOrExitCode, datasetSlugOption, runIfMain, parseCommandLine, UsageError } from "./args";
import { withDatabase } from "./with-database";

const USAGE = `usage: npm run export -- --dataset <slug> --neuron <id> --format ${EXPORT_FORMATS.join("|")} --out <dir>

  --dataset  the neuron's dataset (slug, as in the store and the URL)
  --neuron   the neuron's id (a UUID, as on /neurons/<id>)
  --format   swc (µm), nml (webKnossos), precomputed (neuroglancer: segmentation + skeletons), csv (traces + consensus)
  --out      folder to write into (created when missing)

  DATABASE_URL (postgresql://… or pglite:<dir>) and AXONAUT_STORE choose the database and the label store.`;

const argsSchema = z.object({
  "--dataset": datasetSlugOption,
  "--neuron": z.string({ error: "is required" }).trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a neuron id (a UUID)"),
  "--format": z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(", ")}` }),
  "--out": z.string({ error: "is required" }).trim().min(1, "must not be empty"),
});
export type ExportArgs = z.output<typeof argsSchema>;

export function parseExportArgs(argv: string[]): ExportArgs | "help" {
  return parseCommandLine(argv, {
    options: { dataset: { type: "string" }, neuron: { type: "string" }, format: { type: "string" }, out: { type: "string" } },
    schema: argsSchema,
  });
}

/** Write the files under `out`; refuses a path that would leave it (exports never make one). */
export async function writeExport(out: string, files: ExportFile[]): Promise<{ path: string; bytes: number }[]> {
  const root = path.resolve(out);
  const written: { path: string; bytes: number }[] = [];
  for (const f of files) {
    const dest = path.resolve(root, f.path);
    if (!dest.startsWith(root + path.sep)) throw new Error(`export file "${f.path}" would be written outside ${root}`);
    await mkdir(path.dirname(dest), { recursive: true });
    const data = typeof f.data === "string" ? Buffer.from(f.data, "utf8") : f.data;
    await writeFile(dest, data);
    written.push({ path: dest, bytes: data.byteLength });
  }
  return written;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = argsOrExitCode(parseExportArgs, argv, USAGE);
  if ("exitCode" in parsed) return parsed.exitCode;
  const args = parsed.args;
  return withDatabase(async (db) => {
    const neuron = await db.neuron.findUnique({ where: { id: args["--neuron"] }, select: { dataset: { select: { slug: true } } } });
    if (!neuron) throw new UsageError(`neuron ${args["--neuron"]} not found`);
    if (neuron.dataset.slug !== args["--dataset"]) {
      throw new UsageError(`neuron ${args["--neuron"]} belongs to dataset "${neuron.dataset.slug}", not "${args["--dataset"]}"`);
    }
    const files = await exportNeuron(db, args["--neuron"], args["--format"]);
    for (const w of await writeExport(args["--out"], files)) process.stdout.write(`${w.bytes}\t${w.path}\n`);
    process.stderr.write(`wrote ${files.length} file${files.length === 1 ? "" : "s"} (${args["--format"]}) under ${path.resolve(args["--out"])}\n`);
    return 0;
  });
}

runIfMain(import.meta.url, main);
