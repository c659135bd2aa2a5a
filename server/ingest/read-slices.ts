/**
 * Reading a folder of 2-D slice images (one file per z) as 8-bit grey.
 * Files are ordered by the numbers in their names (natural sort): z = position in that order.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { forEachLimit } from "./concurrency";
import { IngestError, errorText } from "./errors";

export { IngestError } from "./errors";

/** Extensions read as slices (lower case, with dot): PNG always, TIFF when this sharp build reads it. */
export function sliceExtensions(): string[] {
  const exts = [".png"];
  if (sharp.format.tiff?.input?.file) exts.push(".tif", ".tiff");
  return exts;
}

/**
 * Natural order: digit runs compare as numbers ("s2" < "s10"), other text case-insensitively;
 * ties (e.g. "z01" vs "z1") fall back to plain code-point order, so the result is total and stable.
 */
export function naturalCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, "");
      const ny = y.replace(/^0+(?=\d)/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue; // same number, different zero padding: decided by the final tie-break
    }
    const lx = x.toLowerCase();
    const ly = y.toLowerCase();
    if (lx !== ly) return lx < ly ? -1 : 1;
  }
  if (ta.length !== tb.length) return ta.length - tb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Absolute paths of the slice images in `folder` (hidden files skipped), naturally sorted.
 * Throws IngestError if the folder is missing, not a folder, or holds no slice images.
 */
export async function listSliceFiles(folder: string): Promise<string[]> {
  const dir = path.resolve(folder);
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new IngestError(`slice folder not found: ${dir}`, dir, { cause: e });
    throw new IngestError(`cannot read slice folder ${dir}: ${errorText(e)}`, dir, { cause: e });
  }
  if (!st.isDirectory()) throw new IngestError(`${dir} is not a folder (expected a folder of slice images)`, dir);

  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new IngestError(`cannot read slice folder ${dir}: ${errorText(e)}`, dir, { cause: e });
  }
  const exts = sliceExtensions();
  const names: string[] = [];
  const others: string[] = [];
  for (const ent of entries) {
    if (ent.name.startsWith(".")) continue;
    if (!ent.isFile() && !ent.isSymbolicLink()) continue;
    if (exts.includes(path.extname(ent.name).toLowerCase())) names.push(ent.name);
    else others.push(ent.name);
  }
  if (names.length === 0) {
    const hint = others.length > 0 ? ` (found ${others.length} other file(s), e.g. ${others.sort(naturalCompare)[0]})` : "";
    throw new IngestError(`no slice images (${exts.join(", ")}) in ${dir}${hint}`, dir);
  }
  names.sort(naturalCompare);
  return names.map((n) => path.join(dir, n));
}

export type SliceSet = {
  folder: string;
  /** Absolute paths, z order. */
  files: string[];
  width: number;
  height: number;
  /** = files.length */
  depth: number;
};

type Meta = { width: number; height: number };

async function sliceMeta(file: string): Promise<Meta> {
  const name = path.basename(file);
  let m;
  try {
    m = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new IngestError(`${name}: unreadable or corrupt image (${errorText(e)}) in ${path.dirname(file)}`, file, { cause: e });
  }
  if (!m.width || !m.height) {
    throw new IngestError(`${name}: image has no size (corrupt header?) in ${path.dirname(file)}`, file);
  }
  // colour is converted to grey (readSlice), but float and complex pixels have no meaningful 8-bit grey
  if (m.depth && !["uchar", "char", "ushort", "short"].includes(m.depth)) {
    throw new IngestError(
      `${name}: ${m.depth} pixels are not supported (accepted: 8- or 16-bit grayscale; colour is converted to grey) in ${path.dirname(file)}`,
      file,
    );
  }
  if (m.pages !== undefined && m.pages > 1) {
    throw new IngestError(
      `${name} has ${m.pages} pages: a folder holds one image per z slice; import a multi-page TIFF as a file (--format tiff)`,
      file,
    );
  }
  return { width: m.width, height: m.height };
}

/**
 * List and check every slice header (sharp metadata) before anything is decoded or written:
 * all must be readable images of the same width and height.
 */
export async function probeSlices(
  folder: string,
  opts: { concurrency?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<SliceSet> {
  const files = await listSliceFiles(folder);
  const results: (Meta | { error: unknown })[] = new Array(files.length);
  let done = 0;
  opts.onProgress?.(0, files.length);
  await forEachLimit(
    files.length,
    opts.concurrency ?? 8,
    async (i) => {
      try {
        results[i] = await sliceMeta(files[i]!);
      } catch (e) {
        results[i] = { error: e };
      }
      opts.onProgress?.(++done, files.length);
    },
    opts.signal,
  );
  // Report problems in z order, so the message is deterministic.
  let first: Meta | undefined;
  for (let i = 0; i < files.length; i++) {
    const r = results[i]!;
    if ("error" in r) throw r.error;
    if (!first) {
      first = r;
      continue;
    }
    if (r.width !== first.width || r.height !== first.height) {
      throw new IngestError(
        `${path.basename(files[i]!)} is ${r.width}×${r.height} but ${path.basename(files[0]!)} is ${first.width}×${first.height} (all slices must have the same size)`,
        files[i],
      );
    }
  }
  return { folder: path.resolve(folder), files, width: first!.width, height: first!.height, depth: files.length };
}

/**
 * Decode one slice to 8-bit grey, row-major (width*height bytes). Colour is converted to grey,
 * alpha dropped, 16-bit scaled to 8-bit. Checks the size against `expected` when given.
 */
export async function readSlice(file: string, expected?: { width: number; height: number }): Promise<Uint8Array> {
  const name = path.basename(file);
  let out;
  try {
    out = await sharp(file, { limitInputPixels: false })
      .removeAlpha()
      .greyscale()
      .toColourspace("b-w")
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new IngestError(`${name}: unreadable or corrupt image (${errorText(e)}) in ${path.dirname(file)}`, file, { cause: e });
  }
  const { data, info } = out;
  if (info.channels !== 1 || data.length !== info.width * info.height) {
    throw new IngestError(`${name}: could not decode to one grey channel (got ${info.channels} channels)`, file);
  }
  if (expected && (info.width !== expected.width || info.height !== expected.height)) {
    throw new IngestError(
      `${name} decoded to ${info.width}×${info.height} but the slices are ${expected.width}×${expected.height}`,
      file,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * Convenience for small volumes and tests: probe, then decode every slice into one
 * z,y,x array (`index = (z * height + y) * width + x`).
 */
export async function readSlices(folder: string, opts: { concurrency?: number } = {}): Promise<SliceSet & { data: Uint8Array }> {
  const set = await probeSlices(folder, opts);
  const plane = set.width * set.height;
  const data = new Uint8Array(plane * set.depth);
  await forEachLimit(set.depth, opts.concurrency ?? 4, async (z) => {
    data.set(await readSlice(set.files[z]!, set), z * plane);
  });
  return { ...set, data };
}
