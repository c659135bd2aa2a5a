// Every export format, written from a real database and the real ingested sample, then parsed back.
import { execFileSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "@/core/csv";
import { parseNml } from "@/core/nml";
import { decodeRawChunk, decodeSkeleton } from "@/core/precomputed";
import { parseSwc, validateSwc } from "@/core/swc";
import { SAMPLE } from "@/server/cli/setup";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { exportNeuron, viewFiles, VIEW_MASK, VIEW_SKELETON, type ExportFile } from "./export-neuron";
import { loadReconstruction } from "./reconstruction";
import { seedNeuronWithConsensus } from "./fixture.testutil";

let t: TestDb;
let f: Awaited<ReturnType<typeof seedNeuronWithConsensus>>;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedNeuronWithConsensus(t.db);
});
afterAll(async () => t?.drop());

const text = (file: ExportFile | undefined) => {
  expect(file).toBeDefined();
  return typeof file!.data === "string" ? file!.data : new TextDecoder().decode(file!.data);
};
const bytes = (file: ExportFile | undefined) => {
  expect(file).toBeDefined();
  return typeof file!.data === "string" ? new TextEncoder().encode(file!.data) : file!.data;
};
const byPath = (files: ExportFile[], p: string) => files.find((x) => x.path === p);

describe("exportNeuron", () => {
  it("SWC: µm inside the cube, a valid forest, license and voxel size in the header", async () => {
    const files = await exportNeuron(t.db, f.neuron.id, "swc");
    expect(files).toHaveLength(1);
    expect(files[0]!.path).toMatch(/\.swc$/);
    const swc = parseSwc(text(files[0]));
    expect(validateSwc(swc)).toEqual([]);
    expect(swc.nodes.length).toBeGreaterThan(5);
    const header = swc.header.join("\n");
    expect(header).toContain(SAMPLE.license);
    expect(header).toContain("voxel size 10x10x10 nm");
    expect(header).toContain(SAMPLE.attribution.slice(0, 30));
    for (const n of swc.nodes) {
      expect(n.x).toBeGreaterThanOrEqual((f.box.x0 * 10) / 1000);
      expect(n.x).toBeLessThanOrEqual((f.box.x1 * 10) / 1000);
      expect(n.z).toBeGreaterThanOrEqual((f.box.z0 * 10) / 1000);
      expect(n.z).toBeLessThanOrEqual((f.box.z1 * 10) / 1000);
      expect(n.radius).toBeGreaterThan(0);
      expect(n.radius).toBeLessThan(1); // µm: neurites here are well under a micrometre thick
    }
  });

  it("NML: scale in nm, voxel coordinates, one thing per tree, edges = nodes - trees, license comment", async () => {
    const files = await exportNeuron(t.db, f.neuron.id, "nml");
    const xml = text(files[0]);
    const nml = parseNml(xml);
    expect(nml.experiment).toBe(SAMPLE.slug);
    expect(nml.scale).toEqual({ x: 10, y: 10, z: 10 });
    expect(nml.trees.length).toBeGreaterThanOrEqual(1);
    const nodes = nml.trees.flatMap((tr) => tr.nodes);
    const ids = new Set(nodes.map((n) => n.id));
    expect(ids.size).toBe(nodes.length); // unique across the file, as webKnossos requires
    expect(nml.trees.reduce((a, tr) => a + tr.edges.length, 0)).toBe(nodes.length - nml.trees.length);
    for (const tr of nml.trees) {
      const own = new Set(tr.nodes.map((n) => n.id));
      for (const [s, d] of tr.edges) expect(own.has(s) && own.has(d)).toBe(true);
    }
    for (const n of nodes) {
      expect(Number.isInteger(n.x) && Number.isInteger(n.y) && Number.isInteger(n.z)).toBe(true);
      expect(n.x).toBeGreaterThanOrEqual(f.box.x0);
      expect(n.x).toBeLessThan(f.box.x1);
      expect(n.radius).toBeGreaterThan(0);
    }
    for (const b of nml.branchpoints) expect(ids.has(b)).toBe(true);
    expect(nml.comments[0]!.content).toContain(SAMPLE.license);
    // An independent XML parser agrees on the structure, where Python is installed.
    let py: string | null = null;
    try {
      py = execFileSync(
        "python3",
        ["-c", "import sys,xml.etree.ElementTree as E;r=E.fromstring(sys.stdin.read());print(r.tag,len(r.findall('thing')),len(r.findall('thing/nodes/node')),r.find('parameters/scale').get('z'))"],
        { input: xml, encoding: "utf8" },
      ).trim();
    } catch {
      py = null;
    }
    if (py !== null) expect(py).toBe(`things ${nml.trees.length} ${nodes.length} 10`);
  });

  it("precomputed: the consensus volume's chunks hold exactly its voxels; skeleton binary and info agree", async () => {
    const files = await exportNeuron(t.db, f.neuron.id, "precomputed");
    const info = JSON.parse(text(byPath(files, "info")));
    expect(info).toMatchObject({ "@type": "neuroglancer_multiscale_volume", type: "segmentation", data_type: "uint32", num_channels: 1, skeletons: "skeletons" });
    expect(info.scales).toHaveLength(1);
    const scale = info.scales[0];
    expect(scale).toMatchObject({ encoding: "raw", resolution: [10, 10, 10], voxel_offset: [f.box.x0, f.box.y0, f.box.z0], size: [96, 96, 96] });
    const chunks = files.filter((x) => x.path.startsWith(`${scale.key}/`));
    expect(chunks.length).toBe(8); // 96³ in 64³ chunks
    let voxels = 0;
    let covered = 0;
    let other = 0;
    for (const c of chunks) {
      const { box, labels } = decodeRawChunk(c.path.slice(scale.key.length + 1), bytes(c));
      expect(box.x1).toBeLessThanOrEqual(f.box.x1);
      covered += labels.length;
      for (const l of labels) {
        if (l === 1) voxels++;
        else if (l !== 0) other++;
      }
    }
    expect(other).toBe(0);
    expect(covered).toBe(96 ** 3);
    expect(voxels).toBe(f.voxels);

    const sinfo = JSON.parse(text(byPath(files, "skeletons/info")));
    expect(sinfo["@type"]).toBe("neuroglancer_skeletons");
    expect(sinfo.transform).toEqual([10, 0, 0, 0, 0, 10, 0, 0, 0, 0, 10, 0]);
    expect(sinfo.vertex_attributes).toEqual([{ id: "radius", data_type: "float32", num_components: 1 }]);
    const sk = decodeSkeleton(bytes(byPath(files, "skeletons/1")));
    const V = sk.radius.length;
    expect(V).toBeGreaterThan(5);
    expect(sk.edges.length / 2).toBe(V - 1); // one tree: the cube's consensus is one piece
    for (let i = 0; i < V; i++) {
      expect(sk.positions[3 * i]).toBeGreaterThanOrEqual(f.box.x0);
      expect(sk.positions[3 * i]).toBeLessThan(f.box.x1);
      expect(sk.radius[i]).toBeGreaterThan(0);
    }
    const props = JSON.parse(text(byPath(files, "segment_properties/info")));
    expect(props.inline.ids).toEqual(["1"]);
    expect(props.inline.properties[0].values).toEqual([f.neuron.name]);
    expect(JSON.parse(text(byPath(files, "provenance"))).license).toBe(SAMPLE.license);
    expect(text(byPath(files, "LICENSE.txt"))).toContain(SAMPLE.attribution.slice(0, 30));
  });

  it("CSV: one row per trace with a pseudonym (no usernames, no user ids), one per retired cube", async () => {
    const files = await exportNeuron(t.db, f.neuron.id, "csv");
    const tracesText = text(byPath(files, "traces.csv"));
    const traces = parseCsv(tracesText);
    expect(traces.comments.join("\n")).toContain(SAMPLE.license);
    expect(traces.rows).toHaveLength(3);
    const col = (name: string) => traces.columns.indexOf(name);
    expect(col("player")).toBeGreaterThanOrEqual(0);
    const pseudonyms = new Set(traces.rows.map((r) => r[col("player")]!));
    expect(pseudonyms.size).toBe(3);
    for (const p of pseudonyms) expect(p).toMatch(/^[0-9a-f]{16}$/);
    for (const secret of [...f.usernames, ...f.players.map((p) => p.userId)]) expect(tracesText).not.toContain(secret);
    for (const r of traces.rows) {
      expect(r[col("task_id")]).toBe(f.task.id);
      expect(Number(r[col("x0")])).toBe(f.box.x0);
      expect(r[col("supervoxels")]!.split(" ").length).toBe(Number(r[col("supervoxel_count")]));
    }
    const consensus = parseCsv(text(byPath(files, "consensus.csv")));
    expect(consensus.rows).toHaveLength(1);
    const c = (name: string) => consensus.rows[0]![consensus.columns.indexOf(name)]!;
    expect(Number(c("voxels"))).toBe(f.voxels);
    expect(Number(c("confidence"))).toBeCloseTo(0.97);
    expect(c("supervoxels").split(" ").map(Number)).toEqual(f.truth);
  });

  it("3D view: the mask holds exactly the consensus voxels (geometry in headers); skeleton JSON parents first", async () => {
    const files = viewFiles(await loadReconstruction(t.db, f.neuron.id));
    const mask = byPath(files, VIEW_MASK)!;
    expect(mask.headers).toMatchObject({ "Content-Encoding": "gzip", "X-Axonaut-Step": "1" });
    const [sx, sy, sz] = mask.headers!["X-Axonaut-Shape"]!.split(",").map(Number) as [number, number, number];
    const voxels = gunzipSync(bytes(mask));
    expect(voxels.length).toBe(sx * sy * sz);
    expect(voxels.reduce((a, v) => a + v, 0)).toBe(f.voxels);
    const sk = JSON.parse(text(byPath(files, VIEW_SKELETON))) as { neuronId: string; nodes: { id: number; parent: number; x: number }[] };
    expect(sk.neuronId).toBe(f.neuron.id);
    expect(sk.nodes.length).toBeGreaterThan(5);
    expect(sk.nodes.every((n) => n.parent < n.id)).toBe(true);
    expect(sk.nodes.every((n) => n.x >= f.box.x0 - 1 && n.x <= f.box.x1)).toBe(true);
  });

  it("unknown neuron → NOT_FOUND; a neuron without consensus → CONFLICT; stored data untouched", async () => {
    const before = await t.db.task.findMany({ orderBy: { id: "asc" } });
    await expect(exportNeuron(t.db, "00000000-0000-4000-8000-000000000000", "swc")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(exportNeuron(t.db, f.otherNeuronId, "nml")).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("no cube of this neuron has a consensus yet") });
    await expect(exportNeuron(t.db, f.neuron.id, "obj" as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await t.db.task.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});
