// The import upload form and the import service's checks: bad input is refused with a message naming the
// field or file, and leaves no upload folder and no job row; researchers see only their own imports.
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/services/actor";
import { getImport, listImports, runImportJob, startImport } from "@/server/services/imports";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { tempDir } from "./test-fixtures";
import { saveUpload, UploadError } from "./upload";

let t: TestDb;
let root: string;
const actors: Record<string, Actor> = {};
const fields = { name: "Upload test", license: "CC BY 4.0", attribution: "Test Lab" };

function form(entries: Record<string, string>, files: { name: string; bytes: Uint8Array; field?: string }[] = []): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  for (const file of files) f.append(file.field ?? "files", new File([file.bytes as Uint8Array<ArrayBuffer>], file.name));
  return f;
}

beforeAll(async () => {
  t = await createTestDatabase();
  root = await tempDir("axonaut-uploads-");
  for (const role of ["RESEARCHER", "ADMIN", "PLAYER"] as const) {
    for (const n of [1, 2]) {
      const u = await t.db.user.create({ data: { username: `${role.toLowerCase()}-${n}`, role } });
      actors[`${role}${n}`] = { userId: u.id, username: u.username, role, isGuest: false };
    }
  }
});
afterAll(async () => {
  await t?.drop();
  await rm(root, { recursive: true, force: true });
});

describe("saveUpload", () => {
  it("saves a slice stack into a fresh folder, parsing voxel size and region", async () => {
    const s = await saveUpload(
      form({ ...fields, voxelSize: "8, 8, 40", region: "0,0,0,4,4,2" }, [
        { name: "z1.png", bytes: new Uint8Array([1]) },
        { name: "../evil z0.png", bytes: new Uint8Array([2]) },
      ]),
      root,
    );
    expect(s.fields).toMatchObject({ ...fields, voxelSize: { x: 8, y: 8, z: 40 }, region: { x0: 0, y0: 0, z0: 0, x1: 4, y1: 4, z1: 2 } });
    expect(s.source).toBe(path.join(s.uploadDir, "slices"));
    expect((await readdir(s.source)).sort()).toEqual(["evil_z0.png", "z1.png"]); // no path escapes
    await rm(s.uploadDir, { recursive: true });
  });

  it.each([
    [{ ...fields, license: "" }, [{ name: "a.h5", bytes: new Uint8Array(1) }], "license is required (e.g. CC BY 4.0)"],
    [{ ...fields, attribution: " " }, [{ name: "a.h5", bytes: new Uint8Array(1) }], "attribution is required (who to credit)"],
    [{ ...fields, voxelSize: "8,8" }, [{ name: "a.h5", bytes: new Uint8Array(1) }], 'voxelSize: expected three positive numbers like 10,10,10 (got "8,8")'],
    [{ ...fields, format: "nrrd" }, [{ name: "a.h5", bytes: new Uint8Array(1) }], "format: Invalid option"],
    [fields, [], "files: choose at least one file"],
    [fields, [{ name: "vol.nrrd", bytes: new Uint8Array(1) }], 'vol.nrrd: unsupported file type ".nrrd" (a single file must be .tif, .tiff, .h5, .hdf5, .hdf, .zip)'],
    [fields, [{ name: "a.png", bytes: new Uint8Array(1) }, { name: "b.h5", bytes: new Uint8Array(1) }], 'b.h5: unsupported file type ".h5" (slices must be .png, .tif, .tiff)'],
    [fields, [{ name: "a.h5", bytes: new Uint8Array(1) }, { name: "l.gz", bytes: new Uint8Array(1), field: "labelsFile" }], "labelsFile: label files go with a slice stack"],
  ])("refuses bad input (%#) naming the field or file, writing nothing", async (entries, files, message) => {
    const before = await readdir(root);
    const err = await saveUpload(form(entries, files), root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect((err as Error).message).toContain(message);
    expect(await readdir(root)).toEqual(before);
  });
});

describe("startImport / listImports / getImport", () => {
  const url = "https://data.example.org/em/image";
  it("only researchers and admins import; server paths only admins; private hosts only admins", async () => {
    await expect(startImport(t.db, actors.PLAYER1!, { ...fields, source: url }, "url")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(startImport(t.db, actors.RESEARCHER1!, { ...fields, source: "/etc" }, "path")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(startImport(t.db, actors.RESEARCHER1!, { ...fields, source: "http://127.0.0.1:9/x" }, "url")).rejects.toThrow("url: 127.0.0.1 is a loopback or private-network host");
    await expect(startImport(t.db, actors.RESEARCHER1!, { ...fields, source: "http://10.1.2.3/x" }, "url")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await t.db.job.count()).toBe(0);
    const { jobId } = await startImport(t.db, actors.ADMIN1!, { ...fields, name: "Admin local", source: "http://127.0.0.1:9/x" }, "url");
    expect(await getImport(t.db, actors.ADMIN1!, jobId)).toMatchObject({ status: "QUEUED", title: "Admin local", license: "CC BY 4.0", attribution: "Test Lab" });
  });

  it("refuses a name that is taken or being imported", async () => {
    await startImport(t.db, actors.RESEARCHER1!, { ...fields, name: "Twice", source: url }, "url");
    await expect(startImport(t.db, actors.RESEARCHER2!, { ...fields, name: "twice", source: url }, "url")).rejects.toThrow('an import of "twice" is already running');
    await t.db.dataset.create({
      data: { slug: "taken", name: "Taken", width: 1, height: 1, depth: 1, voxelSizeX: 1, voxelSizeY: 1, voxelSizeZ: 1, tileSize: 256, levels: 1, chunkSize: 64, supervoxelCount: 0, hasGroundTruth: false, license: "x", attribution: "y" },
    });
    await expect(startImport(t.db, actors.RESEARCHER1!, { ...fields, name: "Taken", source: url }, "url")).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("a researcher sees only their own imports; an admin sees all", async () => {
    const { jobId } = await startImport(t.db, actors.RESEARCHER2!, { ...fields, name: "Mine only", source: url }, "url");
    await expect(getImport(t.db, actors.RESEARCHER1!, jobId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listImports(t.db, actors.RESEARCHER1!)).map((j) => j.id)).not.toContain(jobId);
    expect((await listImports(t.db, actors.RESEARCHER2!)).map((j) => j.id)).toContain(jobId);
    expect((await listImports(t.db, actors.ADMIN2!)).map((j) => j.id)).toContain(jobId);
  });

  it("a researcher's job refuses a private-network URL again when it runs (defence in depth), leaving nothing", async () => {
    const job = await t.db.job.create({
      data: { kind: "import", title: "Sneaky", ownerId: actors.RESEARCHER1!.userId, payload: { ...fields, name: "Sneaky", slug: "sneaky", source: "http://127.0.0.1:9/x", allowPrivateHosts: false } },
    });
    const store = await tempDir("axonaut-deny-store-");
    await runImportJob(t.db, job.id, { storeDir: store });
    const j = await getImport(t.db, actors.RESEARCHER1!, job.id);
    expect(j.status).toBe("FAILED");
    expect(j.error).toBe("http://127.0.0.1:9/x: loopback and private-network hosts are not allowed");
    expect(await readdir(store)).toEqual([]);
    await rm(store, { recursive: true, force: true });
  }, 60_000);
});
