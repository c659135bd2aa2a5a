import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "@/test-support/shared-data";
import { parseCliArgs } from "./cli";
import { manifestSchema } from "./manifest";
import { makeCrop, tempDir, type Crop } from "./test-fixtures";

const exec = promisify(execFile);

/** Run the CLI as a child process: `npx tsx server/ingest/cli.ts ...`. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec("npx", ["tsx", "server/ingest/cli.ts", ...args], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: "0" },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}
/** The CLI's own error lines (npm may add warnings of its own on stderr). */
const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("error: "));

let crop: Crop;
let store: string;
beforeAll(async () => {
  crop = await makeCrop({ depth: 6, width: 70, height: 60 });
  store = await tempDir("axonaut-cli-store-");
});
afterAll(async () => {
  await rm(crop.dir, { recursive: true, force: true });
  await rm(store, { recursive: true, force: true });
});

describe("parseCliArgs", () => {
  const terms = ["--license", "CC BY 4.0", "--attribution", "Lab"];
  const ok = ["folder", "--name", "My Set", "--voxel-size", "8,8,30", ...terms];
  it("parses and validates", () => {
    const a = parseCliArgs([...ok, "--no-db", "--replace", "--store", "s"]);
    expect(a).toMatchObject({ source: "folder", "--name": "My Set", "--voxel-size": { x: 8, y: 8, z: 30 }, "--no-db": true, "--replace": true, "--store": "s" });
    expect(parseCliArgs(["--help"])).toBe("help");
  });
  it("rejects bad arguments with one-line messages", () => {
    expect(() => parseCliArgs(["folder", "--voxel-size", "1,1,1", ...terms])).toThrow("--name is required");
    expect(() => parseCliArgs(["folder", "--name", " ", "--voxel-size", "1,1,1", ...terms])).toThrow("--name must not be empty");
    expect(() => parseCliArgs(["folder", "--name", "a", "--attribution", "Lab"])).toThrow('--license is required (the data\'s license, e.g. --license "CC BY 4.0")');
    expect(() => parseCliArgs(["folder", "--name", "a", "--license", "CC0", "--attribution", " "])).toThrow("--attribution must not be empty");
    expect((parseCliArgs(["folder", "--name", "a", ...terms]) as Record<string, unknown>)["--voxel-size"]).toBeUndefined(); // may come from the format's metadata
    expect(() => parseCliArgs([...ok, "--format", "nrrd"])).toThrow(/--format must be one of png, tiff, zarr, hdf5, precomputed/);
    expect(() => parseCliArgs([...ok, "--region", "0,0,0,10,10"])).toThrow(/--region expected six integers/);
    expect(() => parseCliArgs([...ok, "--region", "5,0,0,5,10,10"])).toThrow(/--region expected six integers/);
    expect(parseCliArgs([...ok, "--region", "1,2,3,4,5,6"])).toMatchObject({ "--region": { x0: 1, y0: 2, z0: 3, x1: 4, y1: 5, z1: 6 } });
    expect(() => parseCliArgs(["folder", "--name", "a", "--voxel-size", "10,10", ...terms])).toThrow(
      '--voxel-size expected three positive numbers like 10,10,10 (got "10,10")',
    );
    expect(() => parseCliArgs(["folder", "--name", "a", "--voxel-size", "10,-1,10", ...terms])).toThrow(/three positive numbers/);
    expect(() => parseCliArgs(["--name", "a", "--voxel-size", "1,1,1", ...terms])).toThrow(/missing the source/);
    expect(() => parseCliArgs([...ok, "extra"])).toThrow(/expected at most 1 source/);
    expect(() => parseCliArgs([...ok, "--bogus"])).toThrow(/bogus/);
  });
});

describe("cli.ts as a child process (--no-db)", () => {
  it("exits 1 with one error line naming a missing folder", async () => {
    const missing = path.join(crop.dir, "nope");
    const r = await runCli([missing, "--name", "x", "--voxel-size", "10,10,10", "--store", store, "--no-db", "--license", "CC0", "--attribution", "Test"]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([`error: source not found: ${missing}`]);
    expect(r.stdout).toBe("");
    expect(await readdir(store)).toEqual([]);
  });

  it("exits 1 naming a label file of the wrong length", async () => {
    const bad = path.join(crop.dir, "bad.u32.raw.gz");
    await writeFile(bad, gzipSync(Buffer.alloc(12)));
    const r = await runCli([crop.sliceDir, "--name", "x", "--voxel-size", "10,10,10", "--supervoxels", bad, "--store", store, "--no-db", "--license", "CC0", "--attribution", "Test"]);
    expect(r.code).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*bad\.u32\.raw\.gz: decompressed size is 12 bytes but the image volume x=70, y=60, z=6/);
    expect(await readdir(store)).toEqual([]);
  });

  it("exits 1 naming the folder when no voxel size is given and the format has none", async () => {
    const r = await runCli([crop.sliceDir, "--name", "x", "--store", store, "--no-db", "--license", "CC0", "--attribution", "Test"]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([`error: ${crop.sliceDir}: voxel size missing (the file's metadata has none); give it in nm, e.g. --voxel-size 8,8,40`]);
    expect(await readdir(store)).toEqual([]);
  });

  it("exits 1 on a bad voxel size", async () => {
    const r = await runCli([crop.sliceDir, "--name", "x", "--voxel-size", "10,10", "--no-db", "--license", "CC0", "--attribution", "Test"]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual(['error: --voxel-size expected three positive numbers like 10,10,10 (got "10,10")']);
  });

  it("ingests a crop, prints progress on stderr and a summary on stdout", async () => {
    const r = await runCli([
      crop.sliceDir,
      "--name",
      "CLI Crop",
      "--voxel-size",
      "4,4,40",
      "--supervoxels",
      crop.supervoxelsFile,
      "--license",
      "CC BY 3.0",
      "--attribution",
      "Janelia FlyEM",
      "--store",
      store,
      "--no-db",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^tiles: 6\/6 slices, [\d.]+ s$/m);
    expect(r.stderr).toMatch(/^supervoxel chunks: 2\/2 chunks, [\d.]+ s$/m);
    expect(r.stdout).toMatch(/ingested "CLI Crop"/);
    expect(r.stdout).toMatch(/shape: +70 × 60 × 6 voxels/);
    expect(r.stdout).toMatch(/database: +not registered \(--no-db\)/);
    const m = manifestSchema.parse(JSON.parse(await readFile(path.join(store, "cli-crop", "manifest.json"), "utf8")));
    expect(m).toMatchObject({ slug: "cli-crop", voxelSize: { x: 4, y: 4, z: 40 }, hasSupervoxels: true, hasGroundTruth: false, license: "CC BY 3.0" });

    // same slug again: refused, exit 1, store unchanged
    const again = await runCli([crop.sliceDir, "--name", "CLI Crop", "--voxel-size", "4,4,40", "--store", store, "--no-db", "--license", "CC0", "--attribution", "Test"]);
    expect(again.code).toBe(1);
    expect(errorLines(again.stderr)[0]).toMatch(/^error: dataset "cli-crop" already exists in the store .*--replace/);
    expect(await readdir(store)).toEqual(["cli-crop"]);
  });
});
