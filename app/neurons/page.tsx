import Link from "next/link";
import { getDatabase } from "@/server/db/client";
import { listNeurons } from "@/server/services/neurons";

export const dynamic = "force-dynamic";

export default async function NeuronsPage() {
  const { db } = await getDatabase();
  const neurons = await listNeurons(db);
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
