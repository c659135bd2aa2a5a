"use client";
// The neuron page's downloads. Exports are made by a background job (server/services/exports.ts): a
// button asks for the export; a stored one (200) is saved at once, otherwise (202) the job is polled and
// its progress shown ("Preparing … n %") until the file is ready, then the browser downloads it from
// its versioned URL. One status line (aria-live) says what is happening, and errors say why.
import { useEffect, useRef, useState } from "react";

const FORMATS = [
  { format: "swc", label: "Download skeleton (SWC)", short: "SWC skeleton", testId: "download-swc", primary: true },
  { format: "nml", label: "NML (webKnossos)", short: "NML", testId: "download-nml" },
  { format: "precomputed", label: "Neuroglancer precomputed (.tar.gz)", short: "Neuroglancer precomputed", testId: "download-precomputed" },
  { format: "csv", label: "Traces and consensus (CSV, .tar.gz)", short: "CSV", testId: "download-csv" },
] as const;
type Format = (typeof FORMATS)[number]["format"];
type Status = { format: Format; state: "working" | "done" | "error"; message: string } | null;
type Job = { status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED"; progress: number; error: string | null; links: { download: string | null } };

const POLL_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function errorOf(r: Response): Promise<string> {
  const body = (await r.json().catch(() => null)) as { error?: string } | null;
  return body?.error ?? `the server answered ${r.status}`;
}

/** Saves `href` through a temporary link (a blob URL or an attachment URL). */
function save(href: string, filename?: string) {
  const a = document.createElement("a");
  a.href = href;
  if (filename) a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

const filenameOf = (r: Response) => /filename="([^"]+)"/.exec(r.headers.get("content-disposition") ?? "")?.[1];

export function ExportDownloads({ neuronId }: { neuronId: string }) {
  const [status, setStatus] = useState<Status>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  async function download(format: Format, short: string) {
    const report = (state: "working" | "done" | "error", message: string) => alive.current && setStatus({ format, state, message });
    report("working", `Preparing the ${short} export…`);
    try {
      const r = await fetch(`/api/v1/neurons/${neuronId}/export?format=${format}`);
      if (r.status === 200) {
        const url = URL.createObjectURL(await r.blob());
        save(url, filenameOf(r));
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        report("done", `The ${short} export is downloading.`);
        return;
      }
      if (r.status !== 202) return report("error", `The ${short} export failed: ${await errorOf(r)}`);
      const { links } = (await r.json()) as { links: { job: string } };
      for (;;) {
        await sleep(POLL_MS);
        if (!alive.current) return;
        const jr = await fetch(links.job, { cache: "no-store" });
        if (!jr.ok) return report("error", `The ${short} export failed: ${await errorOf(jr)}`);
        const job = (await jr.json()) as Job;
        if (job.status === "FAILED") return report("error", `The ${short} export failed: ${job.error ?? "unknown error"}`);
        if (job.status === "SUCCEEDED" && job.links.download) {
          save(job.links.download);
          return report("done", `The ${short} export is ready and downloading.`);
        }
        report("working", `Preparing the ${short} export… ${Math.round(job.progress * 100)} %`);
      }
    } catch (e) {
      report("error", `The ${short} export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const busy = status?.state === "working";
  return (
    <>
      <div className="actions">
        {FORMATS.map((f) => (
          <button
            key={f.format}
            type="button"
            className={"primary" in f ? undefined : "secondary"}
            data-testid={f.testId}
            disabled={busy}
            aria-busy={busy && status?.format === f.format}
            onClick={() => void download(f.format, f.short)}
          >
            {f.label}
          </button>
        ))}
      </div>
      <p role="status" aria-live="polite" data-testid="export-status" className={status?.state === "error" ? "error" : "muted"}>
        {status?.message ?? ""}
      </p>
    </>
  );
}
