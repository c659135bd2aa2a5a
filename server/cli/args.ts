/**
 * The one command-line parser the CLIs share: node's parseArgs (strict: unknown options fail) for
 * the shape, then a zod schema for the values, and a UsageError with a one-line message that names
 * the option ("--z must look like 175-249"). Why one helper: every CLI used to repeat the same
 * parseArgs + zod + error-formatting block, and they drifted in how they named bad fields.
 *
 * The schema sees an object keyed by the option as typed, with its dashes ("--dataset"), so its
 * messages name what the user typed; positionals land under `positionals.key` (default "source").
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { errorText } from "@/server/ingest/errors";

/** Bad command-line input: print `error: <message>` and exit 1, stored data untouched. */
export class UsageError extends Error {
  override name = "UsageError";
}

export type OptionSpec =
  | { type: "string"; short?: string; default?: string; multiple?: false }
  | { type: "boolean"; short?: string; default?: boolean; multiple?: false };

export type CommandSpec<S extends z.ZodType> = {
  /** Options without their dashes, as node's parseArgs takes them. `help`/`-h` is added. */
  options: Record<string, OptionSpec>;
  /** Validates `{ "--name": value, …, [positionals.key]: first positional }`. */
  schema: S;
  /** Positional arguments: at most `max` (default: none allowed); `what` names them in the error. */
  positionals?: { key?: string; max: number; what: string };
  /** Last chance to reshape the raw input before the schema (e.g. `--no-x` → `--x: false`). */
  prepare?: (input: Record<string, unknown>) => Record<string, unknown>;
};

/** One line naming the offending option (or only the message when it concerns a positional/the whole). */
export function issueText(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? String(issue.path[0]) : "";
  return where.startsWith("--") ? `${where} ${issue.message}` : issue.message;
}

/**
 * Parse argv (without node and the script) into the schema's output, or "help" for --help/-h.
 * Throws UsageError with a one-line message on anything else that is wrong.
 */
export function parseCommandLine<S extends z.ZodType>(argv: string[], spec: CommandSpec<S>): z.output<S> | "help" {
  const max = spec.positionals?.max ?? 0;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: max > 0,
      strict: true,
      options: { ...spec.options, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (e) {
    throw new UsageError(`${errorText(e)} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length > max) {
    const what = spec.positionals?.what ?? "arguments";
    throw new UsageError(`expected at most ${max} ${what}, got ${positionals.length} arguments: ${positionals.join(" ")}`);
  }
  let input: Record<string, unknown> = {};
  if (max > 0) input[spec.positionals?.key ?? "source"] = max === 1 ? positionals[0] : positionals;
  for (const [k, v] of Object.entries(values)) if (k !== "help") input[`--${k}`] = v;
  if (spec.prepare) input = spec.prepare(input);
  const r = spec.schema.safeParse(input);
  if (!r.success) throw new UsageError(issueText(r.error.issues[0]!));
  return r.data;
}

/**
 * The start of every CLI's main(): parse, or print the usage (`--help`: exit 0) or the error (exit 1).
 * Returns the arguments, or the exit code main() should return.
 */
export function argsOrExitCode<T>(parse: (argv: string[]) => T | "help", argv: string[], usage: string): { args: T } | { exitCode: number } {
  let args: T | "help";
  try {
    args = parse(argv);
  } catch (e) {
    process.stderr.write(`error: ${errorText(e)}\n`);
    return { exitCode: 1 };
  }
  if (args === "help") {
    process.stdout.write(`${usage}\n`);
    return { exitCode: 0 };
  }
  return { args };
}

/**
 * Runs `main` when the module at `moduleUrl` (its import.meta.url) is the script node was started with,
 * and exits with its code: explicitly, because a database client may keep the event loop alive.
 */
export function runIfMain(moduleUrl: string, main: (argv: string[]) => Promise<number>): void {
  if (process.argv[1] === undefined || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: ${errorText(e)}\n`);
      process.exit(1);
    },
  );
}

/** `--dataset <slug>` as the store names datasets. */
export const datasetSlugOption = z.string({ error: "is required" }).trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a dataset slug (lower-case letters, digits, -)");

/** `--z 175-249`: first and last slice, inclusive. */
export const zRangeOption = z
  .string()
  .regex(/^\d+-\d+$/, "must look like 175-249 (first and last slice, inclusive)")
  .transform((s) => s.split("-").map(Number) as [number, number])
  .refine(([a, b]) => a <= b, "first slice must not be after the last");
