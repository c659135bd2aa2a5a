/**
 * What every format reader hands to ingest: a grey uint8 volume that ingest reads slice by slice,
 * plus optional uint32 label volumes and the voxel size when the format's metadata has one.
 * Readers of array formats (multi-page TIFF, Zarr, HDF5, precomputed) decode the requested region
 * into memory once: ingest keeps the whole grey volume in memory for the boundary model anyway, and
 * one contiguous read is far cheaper than chunk-crossing reads per slice.
 */
import { IngestError } from "../errors";

export type Shape3 = { x: number; y: number; z: number };
export type VoxelSize = { x: number; y: number; z: number };
/** Half-open voxel box (docs/contracts.md `Box`). */
export type Region = { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number };

/** A grey volume ingest can read one z slice at a time (8-bit, row-major, width*height bytes). */
export type VolumeSource = {
  /** Names the file/folder/URL in messages. */
  describe: string;
  width: number;
  height: number;
  depth: number;
  readSlice(z: number): Promise<Uint8Array>;
};

export type FormatName = "png" | "tiff" | "zarr" | "hdf5" | "precomputed";
export const FORMATS: readonly FormatName[] = ["png", "tiff", "zarr", "hdf5", "precomputed"];

/** What a reader returns: the volume, and whatever the format's metadata said. */
export type OpenedVolume = {
  volume: VolumeSource;
  format: FormatName;
  voxelSize?: VoxelSize;
  supervoxels?: Uint32Array;
  groundTruth?: Uint32Array;
};

/** Above this many voxels a region must be given (1 GiB of grey, 4 GiB of labels). */
export const MAX_REGION_VOXELS = 2 ** 30;

export const ACCEPTED_GREY = "uint8 or uint16 grayscale, one channel";
export const ACCEPTED_LABELS = "uint8, uint16, uint32 or uint64 labels, one channel";

export function inMemoryVolume(describe: string, grey: Uint8Array, shape: Shape3): VolumeSource {
  const plane = shape.x * shape.y;
  if (grey.length !== plane * shape.z) throw new Error(`inMemoryVolume: ${grey.length} bytes for ${shape.x}×${shape.y}×${shape.z}`);
  return {
    describe,
    width: shape.x,
    height: shape.y,
    depth: shape.z,
    readSlice: async (z) => grey.subarray(z * plane, (z + 1) * plane),
  };
}

/**
 * 8-bit grey from uint8 (as is) or uint16 (stretched linearly from the volume's own min..max, so a
 * 12-bit detector does not come out almost black). Anything else is refused, saying what was found.
 */
export function toGrey8(data: ArrayLike<number> | ArrayLike<bigint>, dtype: string, where: string): Uint8Array {
  if (dtype === "uint8") return data instanceof Uint8Array ? data : Uint8Array.from(data as ArrayLike<number>);
  if (dtype !== "uint16") {
    throw new IngestError(`${where}: data type ${dtype} is not supported for the image (accepted: ${ACCEPTED_GREY})`, where);
  }
  const src = data as ArrayLike<number>;
  let lo = 65535;
  let hi = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Uint8Array(src.length);
  const span = hi - lo || 1;
  for (let i = 0; i < src.length; i++) out[i] = Math.round(((src[i]! - lo) * 255) / span);
  return out;
}

/**
 * uint32 labels from unsigned integer data. uint64 ids that all fit 32 bits are kept; larger ids
 * (common in big segmentations) are renumbered 1..n in order of value, 0 staying background.
 */
export function toLabels32(data: ArrayLike<number> | ArrayLike<bigint>, dtype: string, where: string): Uint32Array {
  if (dtype === "uint32") return data instanceof Uint32Array ? data : Uint32Array.from(data as ArrayLike<number>);
  if (dtype === "uint8" || dtype === "uint16") return Uint32Array.from(data as ArrayLike<number>);
  if (dtype !== "uint64") {
    throw new IngestError(`${where}: data type ${dtype} is not supported for labels (accepted: ${ACCEPTED_LABELS})`, where);
  }
  const src = data as ArrayLike<bigint>;
  const out = new Uint32Array(src.length);
  let fits = true;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v > 0xffffffffn) {
      fits = false;
      break;
    }
    out[i] = Number(v);
  }
  if (fits) return out;
  const ids = [...new Set(Array.from(src))].filter((v) => v !== 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length > 0xfffffffe) throw new IngestError(`${where}: more than 2^32 distinct labels`, where);
  const map = new Map<bigint, number>(ids.map((v, i) => [v, i + 1]));
  for (let i = 0; i < src.length; i++) out[i] = src[i] === 0n ? 0 : map.get(src[i]!)!;
  return out;
}

/** Region checks against the full volume shape; no region = the whole volume (capped). */
export function resolveRegion(region: Region | undefined, full: Shape3, where: string, offset: Shape3 = { x: 0, y: 0, z: 0 }): Region {
  const r = region ?? { x0: offset.x, y0: offset.y, z0: offset.z, x1: offset.x + full.x, y1: offset.y + full.y, z1: offset.z + full.z };
  for (const a of ["x", "y", "z"] as const) {
    const lo = r[`${a}0`];
    const hi = r[`${a}1`];
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < offset[a] || hi > offset[a] + full[a] || hi <= lo) {
      throw new IngestError(
        `${where}: region ${a} ${lo}..${hi} is outside the volume (${a} runs ${offset[a]}..${offset[a] + full[a]})`,
        where,
      );
    }
  }
  const voxels = (r.x1 - r.x0) * (r.y1 - r.y0) * (r.z1 - r.z0);
  if (voxels > MAX_REGION_VOXELS) {
    throw new IngestError(
      `${where}: the ${region ? "region" : "volume"} has ${voxels} voxels, more than ${MAX_REGION_VOXELS}; give a smaller --region x0,y0,z0,x1,y1,z1`,
      where,
    );
  }
  return r;
}

export const regionShape = (r: Region): Shape3 => ({ x: r.x1 - r.x0, y: r.y1 - r.y0, z: r.z1 - r.z0 });

/** The given voxel size wins; else the format's; else a clear error naming the source. */
export function resolveVoxelSize(given: VoxelSize | undefined, fromMetadata: VoxelSize | undefined, where: string): VoxelSize {
  const v = given ?? fromMetadata;
  if (!v) {
    throw new IngestError(`${where}: voxel size missing (the file's metadata has none); give it in nm, e.g. --voxel-size 8,8,40`, where);
  }
  return v;
}

/** Copies a strided 3-D array (z,y,x strides in elements) into a C-ordered one. */
export function contiguous<T extends { length: number; [i: number]: unknown }>(
  data: T,
  shape: [number, number, number],
  stride: [number, number, number],
  make: (n: number) => T,
): T {
  const [nz, ny, nx] = shape;
  if (stride[2] === 1 && stride[1] === nx && stride[0] === nx * ny) return data;
  const out = make(nz * ny * nx);
  let o = 0;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[o++] = data[z * stride[0] + y * stride[1] + x * stride[2]];
  return out;
}
