// Faults during load, on real servers:
// (a) one of two app instances is killed (SIGKILL): every acknowledged submission is stored, and the
//     players carry on against the other instance and finish the campaign;
// (b) PostgreSQL restarts (a private server, never the machine's shared one): requests fail with 503 and
//     Retry-After (never a 500), and the app recovers by itself when the database is back.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sleep } from "@/bench/load/client";
import { postgresUrl, requireBuild, startInstance, storedTraces } from "@/bench/load/harness";
import { campaignDatabase, playCampaign } from "./campaign";
import { postgresBinDir, startPrivatePostgres, type PrivatePostgres } from "./postgres";

const url = postgresUrl();
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => {});
});

const statuses = (errors: Map<string, number>) => [...errors.keys()].map((k) => k.split(" ")[1]);

describe.skipIf(!url)("faults during load", () => {
  beforeAll(() => requireBuild());

  it("(a) killing one app instance loses no acknowledged submission; players finish on the other", async () => {
    const db = await campaignDatabase(url!, inject("templateDb"));
    cleanup.push(db.drop);
    const a = await startInstance(db.url, { AXONAUT_ASSIGNMENT_TTL_S: "5" });
    const b = await startInstance(db.url, { AXONAUT_ASSIGNMENT_TTL_S: "5" });
    cleanup.push(() => a.stop(), () => b.stop());
    let ackedAtKill = -1;
    const run = await playCampaign(db.url, [a, b], {
      players: 6,
      during: async (stats) => {
        while (stats.acknowledged.length < 8) await sleep(50);
        ackedAtKill = stats.acknowledged.length;
        await a.stop("SIGKILL");
      },
    });
    const stored = await storedTraces(db.url, run.stats.acknowledged);
    console.log(`kill: instance killed after ${ackedAtKill} acknowledged; then ${run.stats.acknowledged.length} acknowledged, ${stored} stored, ${run.stats.retried} retries, errors ${JSON.stringify([...run.stats.errors])}, ${run.seconds.toFixed(1)} s`);
    expect(a.proc.signalCode).toBe("SIGKILL");
    expect(run.failures).toEqual([]);
    expect(run.stats.acknowledged.length).toBeGreaterThan(ackedAtKill); // the players went on after the kill
    expect(stored).toBe(run.stats.acknowledged.length);
    expect(run.stats.retried).toBeGreaterThan(0); // some requests did hit the dead instance and moved over
    expect(run.state.every((c) => c.status === "RETIRED" && c.traces === c.submissions)).toBe(true);
  });

  const bin = postgresBinDir();
  it.skipIf(!bin)("(b) a PostgreSQL restart gives 503s with Retry-After, never a 500, and the app recovers by itself", async () => {
    const pg: PrivatePostgres = await startPrivatePostgres();
    cleanup.push(() => pg.destroy());
    const db = await campaignDatabase(pg.url); // its own server: full setup
    const app = await startInstance(db.url, { AXONAUT_DB_POOL: "5" });
    cleanup.push(() => app.stop());
    let down = { at: 0, seconds: 0 };
    const run = await playCampaign(db.url, [app], {
      players: 4,
      during: async (stats) => {
        while (stats.acknowledged.length < 6) await sleep(50);
        pg.stop();
        down.at = stats.acknowledged.length;
        const t0 = Date.now();
        // While the database is down, the app answers (health: 503) and the players keep retrying.
        const health = await fetch(`${app.base}/api/health`);
        expect(health.status).toBe(503);
        await sleep(3000);
        pg.start();
        down.seconds = (Date.now() - t0) / 1000;
      },
    });
    const stored = await storedTraces(db.url, run.stats.acknowledged);
    const codes = statuses(run.stats.errors);
    console.log(`pg restart: down for ${down.seconds.toFixed(1)} s after ${down.at} acknowledged; ${run.stats.acknowledged.length} acknowledged, ${stored} stored, errors ${JSON.stringify([...run.stats.errors])}, ${run.seconds.toFixed(1)} s`);
    expect(run.failures, app.output()).toEqual([]);
    expect(codes).toContain("503"); // the outage was seen, as a retriable error
    expect(codes.filter((c) => c !== "503"), `non-503 errors: ${JSON.stringify([...run.stats.errors])}\n${app.output().slice(-3000)}`).toEqual([]);
    expect(stored).toBe(run.stats.acknowledged.length);
    expect((await fetch(`${app.base}/api/health`)).status).toBe(200);
    expect(run.state.every((c) => c.status === "RETIRED" && c.traces === c.submissions)).toBe(true);
    await app.stop();
    await db.drop();
  });
});
