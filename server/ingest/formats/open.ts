/**
 * One entry point for every import format: detect it (unless given), open it, and hand ingest a
 * VolumeSource (or a slice folder, which ingest probes itself with per-slice progress) plus labels.
 */
import { open as openFile, stat } from "node:fs/promises";
import path from "node:path";
import { IngestError } from "../errors";
import { readHdf5 } from "./hdf5";
import { readMultipageTiff } from "./multipage-tiff";
import { isUrl, readPrecomputed } from "./precomputed";
import type { FormatName, OpenedVolume, Region, VolumeSource, VoxelSize } from "./volume";
import { readZarr } from "./zarr";

export type OpenVolumeOptions = {
  source: string;
  format?: FormatName;
  region?: Region;
  /** Segmentation labels (become the supervoxels): a gz raw file (slice stacks), an array/dataset path (zarr, hdf5), or a precomputed layer folder/URL. */
  labels?: string;
  groundTruth?: string;
  /** Array (zarr) or dataset (hdf5) of the image inside the file, when it cannot be found on its own. */
  array?: string;
  allowPrivateHosts?: boolean;
  onFetch?: (chunk: string) => void;
};

/** A slice folder stays a path (ingest probes it with progress); label files of a stack stay paths too. */
export type Opened = Omit<OpenedVolume, "volume" | "supervoxels" | "groundTruth"> & {
  volume: VolumeSource | string;
  supervoxels?: Uint32Array | string;
  groundTruth?: Uint32Array | string;
  voxelSize?: VoxelSize;
};

async function magic(file: string): Promise<Buffer> {
  const fh = await openFile(file, "r");
  try {
    const b = Buffer.alloc(8);
    await fh.read(b, 0, 8, 0);
    return b;
  } finally {
    await fh.close();
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

export async function detectFormat(source: string): Promise<FormatName> {
  if (isUrl(source)) return "precomputed";
  const abs = path.resolve(source);
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    throw new IngestError(`source not found: ${abs}`, abs, { cause: e });
  }
  if (st.isDirectory()) {
    if (await exists(path.join(abs, "info"))) return "precomputed";
    for (const f of ["zarr.json", ".zarray", ".zgroup"]) if (await exists(path.join(abs, f))) return "zarr";
    return "png"; // a folder of slices (PNG or TIFF; the slice reader takes both)
  }
  const m = await magic(abs);
  if (m.subarray(0, 8).equals(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]))) return "hdf5";
  if (m.subarray(0, 4).equals(Buffer.from("II*\0", "latin1")) || m.subarray(0, 4).equals(Buffer.from("MM\0*", "latin1"))) return "tiff";
  if (m.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return "zarr";
  const ext = path.extname(abs).toLowerCase();
  if (ext === ".h5" || ext === ".hdf5" || ext === ".hdf") return "hdf5";
  if (ext === ".tif" || ext === ".tiff") return "tiff";
  if (ext === ".zip") return "zarr";
  throw new IngestError(`${abs}: cannot tell the format (not a folder of slices, TIFF, HDF5, Zarr or precomputed); give --format`, abs);
}

export async function openVolume(o: OpenVolumeOptions): Promise<Opened> {
  const format = o.format ?? (await detectFormat(o.source));
  const isDir = !isUrl(o.source) && (await stat(path.resolve(o.source)).then((s) => s.isDirectory(), () => false));
  switch (format) {
    case "png":
    case "tiff":
      if (format === "png" || isDir) {
        if (o.region) throw new IngestError(`${path.resolve(o.source)}: --region is not supported for a folder of slices`, o.source);
        return { format, volume: o.source, supervoxels: o.labels, groundTruth: o.groundTruth };
      }
      if (o.labels || o.groundTruth) throw new IngestError(`${path.resolve(o.source)}: labels for a multi-page TIFF are not supported; give them as gz raw files with a folder of slices`, o.source);
      return readMultipageTiff(o.source, { region: o.region });
    case "zarr":
      return readZarr(o.source, { array: o.array, labels: o.labels, groundTruth: o.groundTruth, region: o.region });
    case "hdf5":
      return readHdf5(o.source, { dataset: o.array, labels: o.labels, groundTruth: o.groundTruth, region: o.region });
    case "precomputed":
      return readPrecomputed(o.source, { region: o.region, labels: o.labels, groundTruth: o.groundTruth, allowPrivateHosts: o.allowPrivateHosts, onFetch: o.onFetch });
  }
}
