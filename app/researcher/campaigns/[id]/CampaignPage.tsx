"use client";
// One campaign: while a draft, pick seed points and set the redundancy, then publish; always, the progress
// dashboard (cubes, neurons, agreement, player reliability) with CSV downloads. Players appear only as
// pseudonyms (P-xxxxxxxx), never by name.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { BarChart, ScatterPlot, tenths } from "@/app/_components/researcher/Charts";
import { ResearcherOnly } from "@/app/_components/researcher/ResearcherOnly";
import { SeedPicker } from "@/app/_components/researcher/SeedPicker";
import { useTRPC } from "@/app/_lib/trpc";

export function CampaignPage({ campaignId }: { campaignId: string }) {
  return (
    <ResearcherOnly>
      <Campaign id={campaignId} />
    </ResearcherOnly>
  );
}

const pct = (v: number | null) => (v === null ? "–" : `${Math.round(v * 100)} %`);

function Campaign({ id }: { id: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const c = useQuery(trpc.campaign.get.queryOptions({ id }));
  const addSeed = useMutation(trpc.campaign.addSeed.mutationOptions());
  const removeSeed = useMutation(trpc.campaign.removeSeed.mutationOptions());
  const publish = useMutation(trpc.campaign.publish.mutationOptions());
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: trpc.campaign.get.queryKey({ id }) }), qc.invalidateQueries({ queryKey: trpc.campaign.stats.queryKey({ id }) })]);

  if (c.isLoading) return <p className="muted">Loading…</p>;
  if (c.error || !c.data) return <p role="alert">{c.error?.message ?? "Campaign not found"}</p>;
  const camp = c.data;
  const draft = camp.status === "DRAFT";

  async function pick(p: { x: number; y: number; z: number }) {
    setMessage(null);
    try {
      const n = await addSeed.mutateAsync({ campaignId: id, point: p });
      setMessage(`Added "${n.name}" at (${p.x}, ${p.y}, ${p.z}): supervoxel ${n.seedSupervoxel}.`);
      await refresh();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <>
      <p><Link href="/researcher">← Research</Link></p>
      <h1>{camp.name}</h1>
      <p className="muted" data-testid="campaign-status">
        {draft ? "Draft: players do not get its cubes until you publish it." : `Published ${camp.publishedAt ? new Date(camp.publishedAt).toLocaleString() : ""}: players are tracing it.`}{" "}
        Dataset {camp.dataset.name} · {camp.minPlayers}–{camp.maxPlayers} players per cube · retire at {Math.round(camp.retireConfidence * 100)} % confidence
      </p>

      {draft && (
        <section aria-labelledby="seeds-h" className="stack">
          <h2 id="seeds-h">Seed points</h2>
          <p className="muted">Each seed starts one neuron: the supervoxel under it is the seed of the neuron&apos;s first cube.</p>
          <SeedPicker dataset={camp.dataset} seeds={camp.neurons} disabled={addSeed.isPending} onPick={pick} />
          <p aria-live="polite" data-testid="seed-message">{message}</p>
          <Settings id={id} initial={camp} onSaved={refresh} />
          <div className="actions">
            <button
              type="button"
              data-testid="publish"
              disabled={camp.neurons.length === 0 || publish.isPending}
              onClick={async () => {
                await publish.mutateAsync({ id });
                await refresh();
              }}
            >
              Publish to players
            </button>
            {camp.neurons.length === 0 && <span className="muted">Place at least one seed first.</span>}
          </div>
          {publish.error && <p role="alert">{publish.error.message}</p>}
        </section>
      )}

      <section aria-labelledby="neurons-h">
        <h2 id="neurons-h">Neurons</h2>
        {camp.neurons.length === 0 ? (
          <p className="muted">No neurons yet.</p>
        ) : (
          <table data-testid="campaign-neurons">
            <thead><tr><th scope="col">Neuron</th><th scope="col">Seed (x, y, z)</th><th scope="col">Cubes done</th><th scope="col">Status</th>{draft && <th scope="col"><span className="sr-only">Remove</span></th>}</tr></thead>
            <tbody>
              {camp.neurons.map((n) => (
                <tr key={n.id}>
                  <td><span className="swatch" style={{ background: n.color }} aria-hidden="true" /> <Link href={`/neurons/${n.id}`}>{n.name}</Link></td>
                  <td>{n.seed.x}, {n.seed.y}, {n.seed.z}</td>
                  <td>{n.retiredCubes} / {n.cubes}</td>
                  <td>{n.status === "COMPLETE" ? "complete" : "growing"}</td>
                  {draft && (
                    <td>
                      <button type="button" className="link" onClick={async () => { await removeSeed.mutateAsync({ campaignId: id, neuronId: n.id }); await refresh(); }} aria-label={`Remove ${n.name}`}>
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Dashboard id={id} />
    </>
  );
}

function Settings({ id, initial, onSaved }: { id: string; initial: { minPlayers: number; maxPlayers: number; retireConfidence: number }; onSaved(): Promise<unknown> }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.campaign.updateSettings.mutationOptions());
  const [minPlayers, setMin] = useState(initial.minPlayers);
  const [maxPlayers, setMax] = useState(initial.maxPlayers);
  const [confidence, setConfidence] = useState(Math.round(initial.retireConfidence * 100));
  async function submit(e: FormEvent) {
    e.preventDefault();
    await save.mutateAsync({ id, minPlayers, maxPlayers, retireConfidence: confidence / 100 });
    await onSaved();
  }
  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="redundancy-h">
      <h3 id="redundancy-h">Redundancy</h3>
      <label>Players per cube at least<input type="number" min={1} max={50} value={minPlayers} onChange={(e) => setMin(Number(e.target.value))} /></label>
      <label>Players per cube at most<input type="number" min={1} max={50} value={maxPlayers} onChange={(e) => setMax(Number(e.target.value))} /></label>
      <label>Retire a cube at this confidence (%)<input type="number" min={1} max={100} value={confidence} onChange={(e) => setConfidence(Number(e.target.value))} /></label>
      {save.error && <p role="alert">{save.error.message}</p>}
      <button type="submit" className="secondary" disabled={save.isPending}>Save redundancy</button>
    </form>
  );
}

function Dashboard({ id }: { id: string }) {
  const trpc = useTRPC();
  const s = useQuery({ ...trpc.campaign.stats.queryOptions({ id }), refetchInterval: 15_000 });
  if (!s.data) return <p className="muted">Loading the dashboard…</p>;
  const st = s.data;
  const agreement = tenths(st.cubes.map((c) => c.agreement).filter((v): v is number => v !== null));
  const confidence = tenths(st.cubes.filter((c) => c.status === "RETIRED" && c.confidence !== null).map((c) => c.confidence!));
  const csv = (table: string) => `/api/v1/campaigns/${id}/stats.csv?table=${table}`;
  return (
    <section aria-labelledby="dashboard-h" data-testid="dashboard">
      <h2 id="dashboard-h">Progress</h2>
      <dl className="stat-grid">
        <div><dt>Cubes done</dt><dd data-testid="cubes-done">{st.cubesDone}</dd></div>
        <div><dt>Cubes open</dt><dd data-testid="cubes-open">{st.cubesOpen}</dd></div>
        <div><dt>Neurons complete</dt><dd data-testid="neurons-complete">{st.neuronsComplete} / {st.neurons}</dd></div>
        <div><dt>Traces</dt><dd>{st.traces}</dd></div>
        <div><dt>Agreement (mean pairwise F1)</dt><dd>{pct(st.meanAgreement)}</dd></div>
      </dl>
      <BarChart title="Cubes" labels={["done", "open"]} values={[st.cubesDone, st.cubesOpen]} testId="chart-cubes" />
      <BarChart title="Agreement between players per cube (mean pairwise voxel F1)" labels={agreement.labels} values={agreement.counts} testId="chart-agreement" />
      <BarChart title="Consensus confidence of retired cubes" labels={confidence.labels} values={confidence.counts} color="#9b5de5" />
      <ScatterPlot
        title="Player reliability (posterior means)"
        xLabel="specificity"
        yLabel="sensitivity"
        points={st.players.map((p) => ({ label: p.player, x: p.specificity, y: p.sensitivity }))}
        testId="chart-reliability"
      />
      <p className="actions">
        <a className="button secondary" href={csv("summary")} download data-testid="csv-summary">Summary (CSV)</a>
        <a className="button secondary" href={csv("cubes")} download>Cubes (CSV)</a>
        <a className="button secondary" href={csv("players")} download>Players (CSV)</a>
      </p>
    </section>
  );
}
