import { copyFile, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestError, listSliceFiles, naturalCompare, probeSlices, readSlice, readSlices } from "./read-slices";
import { SAMPLE, tempDir } from "./test-fixtures";

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function caught(p: Promise<unknown>): Promise<IngestError> {
  const e = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(IngestError);
  return e as IngestError;
}

describe("naturalCompare", () => {
  it("orders by the numbers in the names", () => {
    const names = ["s10.png", "s2.png", "s1.png", "S3.png", "s02.png", "a100.png", "s1b.png"];
    expect([...names].sort(naturalCompare)).toEqual(["a100.png", "s1.png", "s1b.png", "s02.png", "s2.png", "S3.png", "s10.png"]);
    expect(["iso.2610.png", "iso.2600.png", "iso.2609.png"].sort(naturalCompare)).toEqual([
      "iso.2600.png",
      "iso.2609.png",
      "iso.2610.png",
    ]);
    expect(["z_99999999999999999999.png", "z_100000000000000000000.png"].sort(naturalCompare)[0]).toBe(
      "z_99999999999999999999.png",
    );
  });
});

describe("listSliceFiles / probeSlices / readSlice", () => {
  it("lists PNG and TIFF slices, skipping hidden and other files, in natural order", async () => {
    const d = path.join(dir, "list");
    await mkdir(d);
    for (const n of ["img10.png", "img9.PNG", "img11.tif", ".img0.png", "readme.txt"]) await writeFile(path.join(d, n), "");
    await mkdir(path.join(d, "img1.png")); // a folder, not a slice
    const files = await listSliceFiles(d);
    expect(files.map((f) => path.basename(f))).toEqual(["img9.PNG", "img10.png", "img11.tif"]);
    expect(files.every((f) => path.isAbsolute(f))).toBe(true);
  });

  it("probes the real sample: 250 slices of 250×250 in z order", async () => {
    const set = await probeSlices(SAMPLE.slices);
    expect([set.width, set.height, set.depth]).toEqual([250, 250, 250]);
    expect(path.basename(set.files[0]!)).toBe("iso.2600.png");
    expect(path.basename(set.files[249]!)).toBe("iso.2849.png");
  });

  it("decodes to 8-bit grey, also from RGB(A), 16-bit and TIFF input", async () => {
    const d = path.join(dir, "formats");
    await mkdir(d);
    const src = SAMPLE.sliceFile(0);
    const grey = await readSlice(src);
    expect(grey.length).toBe(250 * 250);
    const { data } = await sharp(src).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.from(grey).equals(data)).toBe(true);

    const rgba = path.join(d, "rgba.png");
    await sharp(src).ensureAlpha().toColourspace("srgb").png().toFile(rgba);
    expect((await sharp(rgba).metadata()).channels).toBe(4);
    expect(Buffer.from(await readSlice(rgba)).equals(data)).toBe(true);

    const tif = path.join(d, "g.tiff");
    await sharp(src).toColourspace("b-w").tiff({ compression: "lzw" }).toFile(tif); // sharp defaults to lossy JPEG-in-TIFF
    expect(Buffer.from(await readSlice(tif)).equals(data)).toBe(true);

    const w16 = path.join(d, "g16.png");
    await sharp(src).toColourspace("grey16").png().toFile(w16);
    expect((await sharp(w16).metadata()).depth).toBe("ushort");
    const back = await readSlice(w16);
    let maxDiff = 0;
    for (let i = 0; i < back.length; i++) maxDiff = Math.max(maxDiff, Math.abs(back[i]! - data[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it("readSlices assembles a z,y,x volume", async () => {
    const d = path.join(dir, "vol");
    await mkdir(d);
    for (const z of [0, 1, 2]) await copyFile(SAMPLE.sliceFile(z), path.join(d, `s${z}.png`));
    const v = await readSlices(d);
    expect(v.data.length).toBe(3 * 250 * 250);
    expect(Buffer.from(v.data.subarray(2 * 62500)).equals(Buffer.from(await readSlice(SAMPLE.sliceFile(2))))).toBe(true);
  });

  it("errors name the folder or file", async () => {
    const missing = path.join(dir, "missing");
    let e = await caught(probeSlices(missing));
    expect(e.message).toBe(`slice folder not found: ${missing}`);
    expect(e.file).toBe(missing);

    const aFile = path.join(dir, "file.png");
    await copyFile(SAMPLE.sliceFile(0), aFile);
    e = await caught(probeSlices(aFile));
    expect(e.message).toMatch(/file\.png is not a folder/);

    const empty = path.join(dir, "empty");
    await mkdir(empty);
    e = await caught(probeSlices(empty));
    expect(e.message).toMatch(/^no slice images \(\.png.*\) in .*empty$/);

    const mixed = path.join(dir, "mixed");
    await mkdir(mixed);
    await copyFile(SAMPLE.sliceFile(0), path.join(mixed, "iso.2600.png"));
    await copyFile(SAMPLE.sliceFile(1), path.join(mixed, "iso.2601.png"));
    await sharp(SAMPLE.sliceFile(5)).resize(200, 250).png().toFile(path.join(mixed, "iso.2605.png"));
    await sharp(SAMPLE.sliceFile(6)).resize(10, 10).png().toFile(path.join(mixed, "iso.2610.png"));
    e = await caught(probeSlices(mixed));
    expect(e.message).toBe("iso.2605.png is 200×250 but iso.2600.png is 250×250 (all slices must have the same size)");
    expect(e.file).toBe(path.join(mixed, "iso.2605.png"));

    const garbage = path.join(dir, "garbage");
    await mkdir(garbage);
    await copyFile(SAMPLE.sliceFile(0), path.join(garbage, "a1.png"));
    await writeFile(path.join(garbage, "a2.png"), Buffer.alloc(500, 0x42));
    e = await caught(probeSlices(garbage));
    expect(e.message).toMatch(/^a2\.png: unreadable or corrupt image \(.+\) in .*garbage$/);
    expect(e.message).not.toContain("\n");
    expect(e.file).toBe(path.join(garbage, "a2.png"));

    const dangling = path.join(dir, "dangling");
    await mkdir(dangling);
    await symlink(path.join(dir, "nowhere.png"), path.join(dangling, "b1.png"));
    e = await caught(probeSlices(dangling));
    expect(e.message).toMatch(/^b1\.png: unreadable or corrupt image/);
  });
});
