import Link from "next/link";
import { PlayButton } from "@/app/_components/GuestButton";
import { getDatabase } from "@/server/db/client";
import { listNeurons } from "@/server/services/neurons";

export const dynamic = "force-dynamic";

export default async function Home() {
  const { db } = await getDatabase();
  const [neurons, datasets] = await Promise.all([listNeurons(db), db.dataset.findMany({ where: { status: "READY" }, select: { name: true, license: true, attribution: true } })]);
  return (
    <>
      <section className="hero">
        <div>
          <h1>Trace real neurons. Map the brain.</h1>
          <p>
            Axonaut hands you a small cube of real brain tissue imaged by an electron microscope. Follow one neuron through the
            slices by clicking the pieces that belong to it. Players&apos; answers are combined into a reconstruction that scientists
            download and use.
          </p>
          <div className="actions">
            <PlayButton />
            <Link className="button secondary" href="/signup">
              Create an account
            </Link>
            <Link className="button secondary" href="/join">
              Join a class
            </Link>
          </div>
        </div>
        <div className="card">
          <h2>How to play</h2>
          <ol className="muted">
            <li>Scroll through the slices with the wheel or <kbd>W</kbd>/<kbd>S</kbd>.</li>
            <li>The tinted pieces are the neuron&apos;s seed. Click the pieces that continue it.</li>
            <li>Submit. You earn points for what you find and for agreeing with other players.</li>
          </ol>
          <p className="muted">
            New? <Link href="/tutorial">Learn on practice cubes</Link>. Teachers: <Link href="/signup?teacher=1">create a class</Link> and
            run a competition between classes.
          </p>
        </div>
      </section>
      <section>
        <h2>Neurons being traced</h2>
        {neurons.length === 0 ? (
          <p className="muted">No neurons yet. A researcher starts them from a dataset.</p>
        ) : (
          <table>
            <thead>
              <tr><th>Neuron</th><th>Dataset</th><th>Cubes done</th><th>Traces</th></tr>
            </thead>
            <tbody>
              {neurons.map((n) => (
                <tr key={n.id}>
                  <td><span className="swatch" style={{ background: n.color }} aria-hidden="true" /><Link href={`/neurons/${n.id}`}>{n.name}</Link></td>
                  <td>{n.datasetName}</td>
                  <td>{n.retiredTasks} / {n.tasks}</td>
                  <td>{n.submissions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <footer className="attribution">
        {datasets.map((d) => (
          <p key={d.name}>Data: {d.name}. {d.attribution}. License: {d.license}.</p>
        ))}
      </footer>
    </>
  );
}
