// The consensus-recompute CLI as a child process against a PGlite folder holding a neuron with consensus:
// bad input names the option and queues nothing; --now runs the job here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/server/db/migrated";
import { SAMPLE } from "@/server/cli/setup";
import { seedNeuronWithConsensus } from "@/server/export/fixture.testutil";
import { parseRecomputeArgs } from "./recompute-consensus";

let dir: string;
let neuronId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "axonaut-recompute-cli-"));
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  try {
    neuronId = (await seedNeuronWithConsensus(handle.db)).neuron.id;
  } finally {
    await handle.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "server/cli/recompute-consensus.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `pglite:${path.join(dir, "db")}`, AXONAUT_STORE: path.resolve(".data", "test-store") },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function jobs() {
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  try {
    return await handle.db.job.findMany({ where: { kind: "consensus-recompute" }, select: { status: true, payload: true } });
  } finally {
    await handle.close();
  }
}

describe("parseRecomputeArgs", () => {
  it("takes exactly one scope, naming what is wrong", () => {
    const id = "0b8e4a52-3c1d-4f0e-9a7b-2d6c8e1f3a50";
    expect(parseRecomputeArgs(["--neuron", id])).toEqual({ "--neuron": id, "--now": false });
    expect(parseRecomputeArgs(["--dataset", "abc", "--now"])).toEqual({ "--dataset": "abc", "--now": true });
    expect(() => parseRecomputeArgs([])).toThrow(/exactly one of --dataset, --neuron, --campaign/);
    expect(() => parseRecomputeArgs(["--dataset", "abc", "--neuron", id])).toThrow(/exactly one of/);
    expect(() => parseRecomputeArgs(["--neuron", "7"])).toThrow(/^--neuron must be a neuron id/);
    expect(() => parseRecomputeArgs(["--campaign", "x"])).toThrow(/^--campaign must be a campaign id/);
    expect(() => parseRecomputeArgs(["--dataset", "Bad Slug"])).toThrow(/^--dataset must be a dataset slug/);
    expect(parseRecomputeArgs(["--help"])).toBe("help");
  });
});

describe("npm run recompute:consensus", () => {
  it("refuses an unknown neuron or dataset and queues nothing; --now recomputes and reports", async () => {
    const unknown = cli("--neuron", "0b8e4a52-3c1d-4f0e-9a7b-2d6c8e1f3a50");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("error: neuron 0b8e4a52-3c1d-4f0e-9a7b-2d6c8e1f3a50 not found");
    const noDataset = cli("--dataset", "no-such-volume", "--now");
    expect(noDataset.code).toBe(1);
    expect(noDataset.stderr).toContain('dataset "no-such-volume" not found');
    expect(await jobs()).toEqual([]);

    const now = cli("--neuron", neuronId, "--now");
    expect(now.stderr).toBe("");
    expect(now.code).toBe(0);
    expect(now.stdout).toMatch(/^SUCCEEDED: \{.*"cubes":\d+/);
    const queued = cli("--dataset", SAMPLE.slug);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toMatch(/^queued job /);
    const rows = await jobs();
    expect(rows.map((r) => r.status).sort()).toEqual(["QUEUED", "SUCCEEDED"]);
  });
});
