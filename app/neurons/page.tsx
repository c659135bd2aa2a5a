import Link from "next/link";
import { getDatabase } from "@/server/db/client";
import { listNeurons } from "@/server/services/neurons";

export const dynamic = "force-dynamic";

export default async function NeuronsPage() {
  const { db } = await getDatabase();
  // Neurons of draft campaigns are their researcher's until published (see /researcher).
  const drafts = new Set((await db.neuron.findMany({ where: { campaign: { status: "DRAFT" } }, select: { id: true } })).map((n) => n.id));
  const neurons = (await listNeurons(db)).filter((n) => !drafts.has(n.id));
  return (
    <>
      <h1>Neurons</h1>
      <ul>
        {neurons.map((n) => (
          <li key={n.id}>
            <span className="swatch" style={{ background: n.color }} aria-hidden="true" />
            <Link href={`/neurons/${n.id}`}>{n.name}</Link> <span className="muted">({n.datasetName}, {n.retiredTasks}/{n.tasks} cubes done)</span>
          </li>
        ))}
      </ul>
    </>
  );
}
