"use client";
// The import form (upload, precomputed URL, or a server path for admins) and the list of imports with a
// progress bar per stage. Progress comes from the Job table, so it survives a reload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/app/_lib/trpc";

type SourceKind = "upload" | "url" | "path";

const STAGE_LABELS: Record<string, string> = {
  "check-slices": "Checking slices",
  "check-model": "Checking the boundary model",
  "read-slices": "Reading slices",
  "boundary-model": "Boundary model",
  watershed: "Watershed",
  agglomerate: "Agglomerating supervoxels",
  "read-supervoxels": "Reading labels",
  "supervoxel-stats": "Supervoxel statistics",
  "supervoxel-chunks": "Writing label chunks",
  "region-graph": "Region graph",
  "read-ground-truth": "Reading ground truth",
  "ground-truth-chunks": "Writing ground-truth chunks",
  tiles: "Writing image tiles",
  finalize: "Finishing",
};

function parseTriple(s: string): { x: number; y: number; z: number } | undefined {
  const n = s.split(/[,\s]+/).filter(Boolean).map(Number);
  return n.length === 3 && n.every((v) => v > 0) ? { x: n[0]!, y: n[1]!, z: n[2]! } : undefined;
}
function parseRegion(s: string) {
  const n = s.split(/[,\s]+/).filter(Boolean).map(Number);
  return n.length === 6 && n.every(Number.isInteger) ? { x0: n[0]!, y0: n[1]!, z0: n[2]!, x1: n[3]!, y1: n[4]!, z1: n[5]! } : undefined;
}

export function ImportClient({ isAdmin }: { isAdmin: boolean }) {
  return (
    <>
      <h1>Import a volume</h1>
      <p className="muted">
        PNG or TIFF slices (choose them all), a multi-page TIFF, HDF5, a zipped Zarr/OME-Zarr folder, or a Neuroglancer precomputed URL. The import runs in the
        background: you can leave this page and come back.
      </p>
      <ImportForm isAdmin={isAdmin} />
      <ImportList />
    </>
  );
}

function ImportForm({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const start = useMutation(trpc.imports.start.mutationOptions());
  const [kind, setKind] = useState<SourceKind>("upload");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setStarted(null);
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    setBusy(true);
    try {
      if (kind === "upload") {
        const res = await fetch("/api/v1/imports", { method: "POST", body: form });
        const body = (await res.json().catch(() => ({}))) as { jobId?: string; error?: string };
        if (!res.ok || !body.jobId) throw new Error(body.error ?? `upload failed (HTTP ${res.status})`);
        setStarted(body.jobId);
      } else {
        const voxelSize = text("voxelSize") ? parseTriple(text("voxelSize")) : undefined;
        if (text("voxelSize") && !voxelSize) throw new Error("Voxel size: three positive numbers in nm, like 8,8,40");
        const region = text("region") ? parseRegion(text("region")) : undefined;
        if (text("region") && !region) throw new Error("Region: six integers x0,y0,z0,x1,y1,z1");
        const r = await start.mutateAsync({
          name: text("name"),
          license: text("license"),
          attribution: text("attribution"),
          ...(voxelSize ? { voxelSize } : {}),
          ...(region ? { region } : {}),
          ...(text("labels") ? { labels: text("labels") } : {}),
          ...(text("groundTruth") ? { groundTruth: text("groundTruth") } : {}),
          ...(text("array") ? { array: text("array") } : {}),
          source: kind === "url" ? { kind: "url", url: text("url") } : { kind: "path", path: text("path") },
        });
        setStarted(r.jobId);
      }
      await qc.invalidateQueries({ queryKey: trpc.imports.list.queryKey() });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="card" aria-describedby={error ? "import-error" : undefined}>
      <fieldset>
        <legend>Source</legend>
        <label>
          <input type="radio" name="sourceKind" value="upload" checked={kind === "upload"} onChange={() => setKind("upload")} /> Upload files
        </label>{" "}
        <label>
          <input type="radio" name="sourceKind" value="url" checked={kind === "url"} onChange={() => setKind("url")} /> Precomputed URL
        </label>{" "}
        {isAdmin && (
          <label>
            <input type="radio" name="sourceKind" value="path" checked={kind === "path"} onChange={() => setKind("path")} /> Path on the server
          </label>
        )}
      </fieldset>
      {kind === "upload" && (
        <>
          <p>
            <label htmlFor="imp-files">Files</label>
            <br />
            <input id="imp-files" name="files" type="file" multiple required accept=".png,.tif,.tiff,.h5,.hdf5,.zip" />
          </p>
          <p>
            <label htmlFor="imp-labels-file">Segmentation labels for a slice stack (optional, gzip of raw uint32, z,y,x)</label>
            <br />
            <input id="imp-labels-file" name="labelsFile" type="file" accept=".gz" />
          </p>
          <p>
            <label htmlFor="imp-gt-file">Ground truth for a slice stack (optional, same format; kept for evaluation, never served)</label>
            <br />
            <input id="imp-gt-file" name="groundTruthFile" type="file" accept=".gz" />
          </p>
        </>
      )}
      {kind === "url" && (
        <p>
          <label htmlFor="imp-url">Precomputed URL (an image layer: the folder with its info file)</label>
          <br />
          <input id="imp-url" name="url" type="url" required placeholder="https://…/image" size={60} />
        </p>
      )}
      {kind === "path" && (
        <p>
          <label htmlFor="imp-path">Absolute path of a folder or file on the server</label>
          <br />
          <input id="imp-path" name="path" required size={60} />
        </p>
      )}
      <p>
        <label htmlFor="imp-name">Name</label>
        <br />
        <input id="imp-name" name="name" required maxLength={80} />
      </p>
      <p>
        <label htmlFor="imp-voxel">Voxel size in nm, x,y,z (leave empty when the file has it)</label>
        <br />
        <input id="imp-voxel" name="voxelSize" placeholder="8,8,40" inputMode="decimal" />
      </p>
      <p>
        <label htmlFor="imp-region">Region x0,y0,z0,x1,y1,z1 (optional: only this box is read)</label>
        <br />
        <input id="imp-region" name="region" placeholder="0,0,0,512,512,64" />
      </p>
      <p>
        <label htmlFor="imp-labels">Labels inside the source (optional: Zarr array or HDF5 dataset path, or a precomputed segmentation URL)</label>
        <br />
        <input id="imp-labels" name="labels" size={60} />
      </p>
      <p>
        <label htmlFor="imp-gt">Ground truth inside the source (optional, same forms as the labels)</label>
        <br />
        <input id="imp-gt" name="groundTruth" size={60} />
      </p>
      <p>
        <label htmlFor="imp-array">Image array or dataset inside the file (optional, when it cannot be found)</label>
        <br />
        <input id="imp-array" name="array" />
      </p>
      <p>
        <label htmlFor="imp-license">License</label>
        <br />
        <input id="imp-license" name="license" required placeholder="CC BY 4.0" maxLength={500} />
      </p>
      <p>
        <label htmlFor="imp-attribution">Attribution</label>
        <br />
        <input id="imp-attribution" name="attribution" required placeholder="Who made the data; how to cite it" size={60} maxLength={2000} />
      </p>
      {error && (
        <p id="import-error" role="alert" className="error">
          {error}
        </p>
      )}
      {started && <p role="status">Import started. Its progress is below.</p>}
      <button type="submit" disabled={busy}>
        {busy ? "Starting…" : "Import"}
      </button>
    </form>
  );
}

function ImportList() {
  const trpc = useTRPC();
  const jobs = useQuery({
    ...trpc.imports.list.queryOptions(),
    // poll while something runs; progress lives in the database, so a reload shows the same
    refetchInterval: (q) => (q.state.data?.some((j) => j.status === "QUEUED" || j.status === "RUNNING") ? 1000 : false),
  });
  if (jobs.isLoading) return <p className="muted">Loading imports…</p>;
  if (jobs.error) return <p role="alert" className="error">{jobs.error.message}</p>;
  if (!jobs.data?.length) return <p className="muted">No imports yet.</p>;
  return (
    <section aria-labelledby="imports-h">
      <h2 id="imports-h">Your imports</h2>
      <ul className="stack">
        {jobs.data.map((j) => {
          const stage = j.stage ? (STAGE_LABELS[j.stage] ?? j.stage) : "Waiting";
          const pct = j.total > 0 ? Math.round((100 * j.done) / j.total) : 0;
          return (
            <li key={j.id} className="card" data-testid="import-job" data-status={j.status}>
              <h3>{j.title}</h3>
              <p>
                <strong>{j.status === "SUCCEEDED" ? "Done" : j.status === "FAILED" ? "Failed" : j.status === "RUNNING" ? "Running" : "Queued"}</strong>
                {j.attempts > 1 && j.status !== "SUCCEEDED" ? ` (attempt ${j.attempts})` : ""}
              </p>
              {(j.status === "RUNNING" || j.status === "QUEUED") && (
                <p>
                  <label htmlFor={`prog-${j.id}`}>
                    {stage}: {j.done}/{j.total}
                  </label>{" "}
                  <progress id={`prog-${j.id}`} max={100} value={pct} aria-valuetext={`${stage} ${pct}%`}>
                    {pct}%
                  </progress>
                </p>
              )}
              {j.status === "FAILED" && j.error && (
                <p role="alert" className="error">
                  {j.error}
                </p>
              )}
              {j.status === "SUCCEEDED" && j.datasetId && <p>Dataset ready (id {j.datasetId}).</p>}
              <p className="muted attribution">
                License: {j.license}. Attribution: {j.attribution}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
