"use client";
// The researcher's home: their campaigns, a new campaign on a dataset, and links to import and API tokens.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ResearcherOnly } from "@/app/_components/researcher/ResearcherOnly";
import { useTRPC } from "@/app/_lib/trpc";

export function ResearcherHome() {
  return (
    <ResearcherOnly>
      <h1>Research</h1>
      <nav aria-label="Researcher" className="actions">
        <Link className="button secondary" href="/researcher/import">Import a volume</Link>
        <Link className="button secondary" href="/researcher/tokens">API tokens</Link>
        <a className="button secondary" href="/api/v1/openapi.json">REST API (OpenAPI)</a>
      </nav>
      <Campaigns />
      <NewCampaign />
    </ResearcherOnly>
  );
}

function Campaigns() {
  const trpc = useTRPC();
  const list = useQuery(trpc.campaign.list.queryOptions());
  return (
    <section aria-labelledby="campaigns-h">
      <h2 id="campaigns-h">Your campaigns</h2>
      {list.isLoading ? (
        <p className="muted">Loading…</p>
      ) : !list.data?.length ? (
        <p className="muted">No campaigns yet. Create one below, click seed points in its volume, and publish it to players.</p>
      ) : (
        <table data-testid="campaign-list">
          <thead>
            <tr><th scope="col">Campaign</th><th scope="col">Dataset</th><th scope="col">Status</th><th scope="col">Neurons</th><th scope="col">Complete</th></tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id}>
                <td><Link href={`/researcher/campaigns/${c.id}`}>{c.name}</Link></td>
                <td>{c.datasetName}</td>
                <td>{c.status === "DRAFT" ? "draft (not played yet)" : "published"}</td>
                <td>{c.neurons}</td>
                <td>{c.completeNeurons}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewCampaign() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const datasets = useQuery(trpc.campaign.datasets.queryOptions());
  const create = useMutation(trpc.campaign.create.mutationOptions());
  const [name, setName] = useState("");
  const [datasetId, setDatasetId] = useState("");
  const [minPlayers, setMin] = useState(3);
  const [maxPlayers, setMax] = useState(6);
  const [confidence, setConfidence] = useState(90);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ds = datasetId || datasets.data?.[0]?.id;
    if (!ds) return;
    const c = await create.mutateAsync({ name, datasetId: ds, minPlayers, maxPlayers, retireConfidence: confidence / 100 });
    await qc.invalidateQueries({ queryKey: trpc.campaign.list.queryKey() });
    router.push(`/researcher/campaigns/${c.id}`);
  }
  return (
    <section aria-labelledby="new-campaign-h" className="card">
      <h2 id="new-campaign-h">New campaign</h2>
      <form onSubmit={submit} className="stack">
        <label>
          Name
          <input name="name" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} data-testid="campaign-name" />
        </label>
        <label>
          Dataset
          <select name="dataset" value={datasetId || datasets.data?.[0]?.id || ""} onChange={(e) => setDatasetId(e.target.value)} data-testid="campaign-dataset">
            {datasets.data?.map((d) => (
              <option key={d.id} value={d.id}>{d.name} ({d.width}×{d.height}×{d.depth})</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Redundancy</legend>
          <label>
            Players per cube at least
            <input type="number" min={1} max={50} value={minPlayers} onChange={(e) => setMin(Number(e.target.value))} />
          </label>
          <label>
            Players per cube at most
            <input type="number" min={1} max={50} value={maxPlayers} onChange={(e) => setMax(Number(e.target.value))} />
          </label>
          <label>
            Retire a cube when the consensus is this sure (%)
            <input type="number" min={1} max={100} value={confidence} onChange={(e) => setConfidence(Number(e.target.value))} />
          </label>
        </fieldset>
        {create.error && <p role="alert" className="error">{create.error.message}</p>}
        <button type="submit" disabled={create.isPending || !datasets.data?.length} data-testid="campaign-create">Create campaign</button>
      </form>
    </section>
  );
}
