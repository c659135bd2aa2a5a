import { getServerSession } from "next-auth";
import { notFound } from "next/navigation";
import { actorFromUserId, authOptions } from "@/server/auth/options";
import { getDatabase } from "@/server/db/client";
import { DomainError } from "@/server/services/errors";
import { getNeuron } from "@/server/services/neurons";
import { ExportDownloads } from "@/app/_components/researcher/ExportDownloads";
import { Neuron3dLoader } from "@/app/_components/researcher/Neuron3dLoader";

export const dynamic = "force-dynamic";

export default async function NeuronPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const { db } = await getDatabase();
  // A draft campaign's neuron is shown to its researcher (and admins) only, like the REST API does.
  const campaign = (await db.neuron.findUnique({ where: { id }, select: { campaign: { select: { status: true, ownerId: true } } } }))?.campaign;
  if (campaign?.status === "DRAFT") {
    const actor = await actorFromUserId(((await getServerSession(authOptions)) as { userId?: string } | null)?.userId);
    if (!actor || (actor.role !== "ADMIN" && actor.userId !== campaign.ownerId)) notFound();
  }
  const neuron = await getNeuron(db, id).catch((e) => {
    if (e instanceof DomainError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const done = neuron.tasks.filter((t) => t.status === "RETIRED").length;
  return (
    <>
      <h1>
        <span className="swatch" style={{ background: neuron.color }} aria-hidden="true" />
        {neuron.name}
      </h1>
      <p className="muted">
        {neuron.dataset.name} · seed at ({neuron.seed.x}, {neuron.seed.y}, {neuron.seed.z}) · {done} of {neuron.tasks.length} cubes reconstructed{neuron.status === "COMPLETE" ? " · complete: no open cube is left" : ""}
      </p>
      {done > 0 ? (
        <ExportDownloads neuronId={neuron.id} />
      ) : (
        <p className="muted">The skeleton can be downloaded once three players have finished a cube.</p>
      )}
      {done > 0 && (
        <section aria-labelledby="view3d-h">
          <h2 id="view3d-h">In 3D</h2>
          <Neuron3dLoader neuronId={neuron.id} color={neuron.color} />
        </section>
      )}
      <h2>Cubes</h2>
      <table>
        <thead>
          <tr><th>Cube (voxels)</th><th>Status</th><th>Players</th><th>Consensus supervoxels</th><th>Confidence</th><th>Grew from</th></tr>
        </thead>
        <tbody>
          {neuron.tasks.map((t) => (
            <tr key={t.id}>
              <td>x {t.box.x0}–{t.box.x1}, y {t.box.y0}–{t.box.y1}, z {t.box.z0}–{t.box.z1}</td>
              <td>{t.status === "RETIRED" ? "done" : "open"}</td>
              <td>{t.submissions} / {t.redundancy}</td>
              <td>{t.consensusSupervoxels}</td>
              <td>{t.overridden ? "set by a reviewer" : t.confidence === null ? "–" : `${Math.round(t.confidence * 100)} %`}</td>
              <td>{t.parentTaskId ? `cube ${neuron.tasks.findIndex((p) => p.id === t.parentTaskId) + 1}` : "seed"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="attribution">Data license: {neuron.dataset.license}. {neuron.dataset.attribution}.</p>
    </>
  );
}
