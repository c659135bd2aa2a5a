// The export CLI as a child process against a PGlite folder holding a neuron with consensus.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseNml } from "@/core/nml";
import { parseSwc, validateSwc } from "@/core/swc";
import { openDatabase } from "@/server/db/migrated";
import { SAMPLE } from "@/server/cli/setup";
import { seedNeuronWithConsensus } from "@/server/export/fixture.testutil";
import { parseExportArgs } from "./export";

let dir: string;
let neuronId: string;
let otherId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "axonaut-export-cli-"));
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  try {
    const f = await seedNeuronWithConsensus(handle.db);
    neuronId = f.neuron.id;
    otherId = f.otherNeuronId;
  } finally {
    await handle.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "server/cli/export.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `pglite:${path.join(dir, "db")}`, AXONAUT_STORE: path.resolve(".data", "test-store") },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("parseExportArgs", () => {
  it("validates every option, naming it", () => {
    const ok = ["--dataset", "abc", "--neuron", "0b8e4a52-3c1d-4f0e-9a7b-2d6c8e1f3a50", "--format", "nml", "--out", "x"];
    expect(parseExportArgs(ok)).toEqual({ "--dataset": "abc", "--neuron": "0b8e4a52-3c1d-4f0e-9a7b-2d6c8e1f3a50", "--format": "nml", "--out": "x" });
    expect(() => parseExportArgs(ok.map((a) => (a === "nml" ? "obj" : a)))).toThrow(/^--format must be one of swc, nml, precomputed, csv$/);
    expect(() => parseExportArgs(ok.slice(2))).toThrow(/^--dataset is required$/);
    expect(() => parseExportArgs(ok.map((a) => (a === "abc" ? "Bad Slug" : a)))).toThrow(/^--dataset must be a dataset slug/);
    expect(() => parseExportArgs([...ok.slice(0, 3), "7", ...ok.slice(4)])).toThrow(/^--neuron must be a neuron id/);
    expect(() => parseExportArgs([...ok, "--zip"])).toThrow(/Unknown option '--zip'/);
    expect(parseExportArgs(["--help"])).toBe("help");
  });
});

describe("npm run export", () => {
  it("writes SWC, NML and the precomputed tree under --out and lists them", () => {
    const out = path.join(dir, "out");
    const swc = cli("--dataset", SAMPLE.slug, "--neuron", neuronId, "--format", "swc", "--out", out);
    expect(swc.stderr).toContain("wrote 1 file (swc)");
    expect(swc.code).toBe(0);
    const [line] = swc.stdout.trim().split("\n");
    const [bytes, file] = line!.split("\t");
    expect(existsSync(file!)).toBe(true);
    const text = readFileSync(file!, "utf8");
    expect(Number(bytes)).toBe(Buffer.byteLength(text));
    expect(validateSwc(parseSwc(text))).toEqual([]);
    expect(text).toContain(SAMPLE.license);

    const nml = cli("--dataset", SAMPLE.slug, "--neuron", neuronId, "--format", "nml", "--out", out);
    expect(nml.code).toBe(0);
    expect(parseNml(readFileSync(nml.stdout.trim().split("\t")[1]!, "utf8")).scale).toEqual({ x: 10, y: 10, z: 10 });

    const pre = cli("--dataset", SAMPLE.slug, "--neuron", neuronId, "--format", "precomputed", "--out", path.join(out, "ng"));
    expect(pre.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, "ng", "skeletons", "info"), "utf8"))["@type"]).toBe("neuroglancer_skeletons");
    expect(readdirSync(path.join(out, "ng"))).toEqual(expect.arrayContaining(["info", "skeletons", "provenance", "LICENSE.txt", "segment_properties"]));
  }, 300_000);

  it("bad input: one error line, exit 1, nothing written", () => {
    const out = path.join(dir, "bad");
    const cases: [string[], RegExp][] = [
      [["--dataset", SAMPLE.slug, "--neuron", neuronId, "--format", "obj", "--out", out], /^error: --format must be one of/],
      [["--dataset", "other-set", "--neuron", neuronId, "--format", "swc", "--out", out], /^error: neuron .* belongs to dataset "neuroproof-medulla", not "other-set"/],
      [["--dataset", SAMPLE.slug, "--neuron", "00000000-0000-4000-8000-000000000000", "--format", "swc", "--out", out], /^error: neuron 0{8}-.* not found/],
      [["--dataset", SAMPLE.slug, "--neuron", otherId, "--format", "csv", "--out", out], /^error: no cube of this neuron has a consensus yet/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  }, 300_000);
});
