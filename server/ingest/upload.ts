/**
 * An import upload (multipart form, POST /api/v1/imports): checks the fields and files and writes the
 * files to a fresh upload folder that the import job reads and deletes when it is over. One file is a
 * multi-page TIFF, HDF5 or zipped Zarr; several PNG/TIFF files are a slice stack.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { importFieldsSchema } from "@/server/services/imports";
import { regionText, voxelSizeText } from "./arg-text";

export const UPLOAD_LIMIT_BYTES = Number(process.env.AXONAUT_UPLOAD_LIMIT_MB ?? 512) * 2 ** 20;
const MAX_FILES = 5000;
const SINGLE = [".tif", ".tiff", ".h5", ".hdf5", ".hdf", ".zip"];
const SLICES = [".png", ".tif", ".tiff"];

export class UploadError extends Error {
  override name = "UploadError";
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const blank = (v: FormDataEntryValue | null) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
const safeName = (n: string) => path.basename(n).replace(/[^A-Za-z0-9._-]/g, "_").slice(-120) || "file";

export type SavedUpload = { fields: z.infer<typeof importFieldsSchema>; source: string; uploadDir: string; labelFiles: { labels?: string; groundTruth?: string } };

/** Validates the form and writes its files under `<uploadsRoot>/<random>/`; on any error nothing is left. */
export async function saveUpload(form: FormData, uploadsRoot: string): Promise<SavedUpload> {
  const text = (k: string) => blank(form.get(k));
  const parseOpt = <T,>(schema: z.ZodType<T>, k: string): T | undefined => {
    const v = text(k);
    if (v === undefined) return undefined;
    const r = schema.safeParse(v);
    if (!r.success) throw new UploadError(`${k}: ${r.error.issues[0]!.message}`);
    return r.data;
  };
  const r = importFieldsSchema.safeParse({
    name: text("name") ?? "",
    format: text("format"),
    voxelSize: parseOpt(voxelSizeText, "voxelSize"),
    region: parseOpt(regionText, "region"),
    license: text("license") ?? "",
    attribution: text("attribution") ?? "",
    labels: text("labels"),
    groundTruth: text("groundTruth"),
    array: text("array"),
  });
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UploadError(i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join(".")}: ${i.message}` : i.message);
  }
  const files = form.getAll("files").filter((f): f is File => typeof f !== "string" && f.size > 0);
  if (files.length === 0) throw new UploadError("files: choose at least one file");
  if (files.length > MAX_FILES) throw new UploadError(`files: at most ${MAX_FILES} files`);
  const total = files.reduce((s, f) => s + f.size, 0);
  if (total > UPLOAD_LIMIT_BYTES) throw new UploadError(`files: ${total} bytes is more than the upload limit of ${UPLOAD_LIMIT_BYTES} bytes`, 413);
  const ext = (f: File) => path.extname(f.name).toLowerCase();
  const stack = files.length > 1 || ext(files[0]!) === ".png";
  for (const f of files) {
    const ok = stack ? SLICES : SINGLE;
    if (!ok.includes(ext(f))) {
      throw new UploadError(`${safeName(f.name)}: unsupported file type "${ext(f) || "(none)"}" (${stack ? "slices" : "a single file"} must be ${ok.join(", ")})`);
    }
  }
  const labelFile = (k: string) => {
    const f = form.get(k);
    return f && typeof f !== "string" && f.size > 0 ? f : null;
  };
  const lab = labelFile("labelsFile");
  const gt = labelFile("groundTruthFile");
  if ((lab || gt) && !stack) throw new UploadError("labelsFile: label files go with a slice stack; for Zarr or HDF5 name the labels array instead");

  const dir = path.join(/*turbopackIgnore: true*/ uploadsRoot, randomBytes(8).toString("hex"));
  try {
    await mkdir(dir, { recursive: true });
    let source: string;
    if (stack) {
      source = path.join(dir, "slices");
      await mkdir(source);
      const seen = new Set<string>();
      for (const f of files) {
        const n = safeName(f.name);
        if (seen.has(n)) throw new UploadError(`${n}: the same file name twice`);
        seen.add(n);
        await writeFile(path.join(/*turbopackIgnore: true*/ source, n), Buffer.from(await f.arrayBuffer()));
      }
    } else {
      source = path.join(/*turbopackIgnore: true*/ dir, safeName(files[0]!.name));
      await writeFile(source, Buffer.from(await files[0]!.arrayBuffer()));
    }
    const labelFiles: SavedUpload["labelFiles"] = {};
    if (lab) await writeFile((labelFiles.labels = path.join(dir, "labels.u32.raw.gz")), Buffer.from(await lab.arrayBuffer()));
    if (gt) await writeFile((labelFiles.groundTruth = path.join(dir, "ground-truth.u32.raw.gz")), Buffer.from(await gt.arrayBuffer()));
    return { fields: r.data, source, uploadDir: dir, labelFiles };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
