/**
 * Runs an ingest in a child process (`node --import tsx server/ingest/cli.ts … --no-db --progress-json`),
 * so decoding, the boundary model and tile encoding never block the server's event loop, and a crash
 * or kill of the child cannot take the server with it. The caller registers the dataset in the
 * database only after the child succeeded (the child never opens the database: PGlite is one process).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { z } from "zod";
import { manifestSchema, type Manifest } from "./manifest";

// From the project root, not import.meta.url: inside a Next build this module lives in a bundle chunk.
const ROOT = () => path.resolve(/*turbopackIgnore: true*/ process.env.AXONAUT_ROOT ?? process.cwd());

const progressLine = z.object({ stage: z.string(), done: z.number(), total: z.number() });
const resultLine = z.object({ manifest: manifestSchema });

/** The child failed on its input (exit 1 with "error: …"): retrying cannot help. */
export class IngestInputError extends Error {
  override name = "IngestInputError";
}
/** The child died (signal, crash): worth another attempt. */
export class IngestCrashError extends Error {
  override name = "IngestCrashError";
}

export type ChildIngestOptions = {
  onProgress?: (p: { stage: string; done: number; total: number }) => void;
  onSpawn?: (pid: number) => void;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
};

/** `args`: the CLI's arguments (source, --name, …); --no-db and --progress-json are added. */
export function runIngestChild(args: string[], opts: ChildIngestOptions = {}): Promise<Manifest> {
  return new Promise((resolve, reject) => {
    const root = ROOT();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server", "ingest", "cli.ts"), ...args, "--no-db", "--progress-json"], {
      cwd: root,
      env: { ...process.env, ...opts.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      signal: opts.signal,
    });
    if (child.pid) opts.onSpawn?.(child.pid);
    let manifest: Manifest | null = null;
    let stderr = "";
    let buf = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      buf += s;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue; // not ours (a library's log line)
        }
        const r = resultLine.safeParse(json);
        if (r.success) manifest = r.data.manifest;
        else {
          const p = progressLine.safeParse(json);
          if (p.success) opts.onProgress?.(p.data);
        }
      }
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr = (stderr + s).slice(-20_000);
    });
    child.on("error", (e) => reject(new IngestCrashError(`ingest process failed: ${e.message}`)));
    child.on("close", (code, sig) => {
      if (code === 0 && manifest) return resolve(manifest);
      const errorLine = stderr.split("\n").reverse().find((l) => l.startsWith("error: "));
      if (code === 1 && errorLine) return reject(new IngestInputError(errorLine.slice("error: ".length)));
      reject(new IngestCrashError(`ingest process ended ${sig ? `by ${sig}` : `with exit code ${code}`}${errorLine ? `: ${errorLine.slice(7)}` : ""}`));
    });
  });
}
