/**
 * Zarr v2 and v3 (zarrita), plain arrays or OME-Zarr groups, from a folder or a .zip. OME-Zarr: the
 * first multiscale's first (full-resolution) dataset, with the voxel size from its `scale`
 * coordinateTransformations and the axes' units; singleton t/c axes are dropped. A plain array's last
 * three axes are z,y,x and its voxel size must be given. Labels are other arrays of the same store.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";
import ZipFileStore from "@zarrita/storage/zip";
import { z } from "zod";
import { IngestError, errorText } from "../errors";
import { contiguous, inMemoryVolume, regionShape, resolveRegion, toGrey8, toLabels32, type OpenedVolume, type Region, type VoxelSize } from "./volume";

const NM_PER_UNIT: Record<string, number> = { nanometer: 1, micrometer: 1000, millimeter: 1e6, angstrom: 0.1, picometer: 0.001, meter: 1e9 };

const transformSchema = z.object({ type: z.string(), scale: z.array(z.number()).optional() });
const multiscaleSchema = z.object({
  axes: z.array(z.union([z.string(), z.object({ name: z.string(), type: z.string().optional(), unit: z.string().optional() })])).optional(),
  datasets: z.array(z.object({ path: z.string(), coordinateTransformations: z.array(transformSchema).optional() })).min(1),
  coordinateTransformations: z.array(transformSchema).optional(),
});

type Store = zarr.Readable;
type AnyArray = zarr.Array<zarr.DataType, Store>;

async function openStore(source: string): Promise<Store> {
  const abs = path.resolve(source);
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    throw new IngestError(`Zarr store not found: ${abs}`, abs, { cause: e });
  }
  if (st.isDirectory()) return new FileSystemStore(abs);
  if (abs.toLowerCase().endsWith(".zip")) {
    const bytes = await readFile(abs);
    // a zip of a folder "x.zarr/…" keeps the folder in its paths: strip one shared top folder
    return ZipFileStore.fromBlob(new Blob([bytes]), {
      transformEntries(entries) {
        const names = Object.keys(entries);
        const top = names[0]?.split("/")[0];
        const shared = top && names.every((n) => n.startsWith(`${top}/`)) && !names.some((n) => n === "zarr.json" || n === ".zarray" || n === ".zgroup");
        if (!shared) return entries;
        return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k.slice(top.length + 1), v]));
      },
    });
  }
  throw new IngestError(`${abs}: expected a Zarr folder or a .zip of one`, abs);
}

async function openNode(store: Store, p: string, where: string) {
  try {
    return await zarr.open(zarr.root(store).resolve(p));
  } catch (e) {
    throw new IngestError(`${where}: no Zarr array or group${p ? ` at "${p}"` : ""} (not a Zarr store, or corrupt metadata: ${errorText(e)})`, where, { cause: e });
  }
}

/** Axes to keep: z,y,x (the last three, or named), others must be singletons. */
function zyxAxes(arr: AnyArray, names: string[] | null, where: string): number[] {
  const n = arr.shape.length;
  if (names && names.length === n) {
    const idx = ["z", "y", "x"].map((a) => names.indexOf(a));
    if (idx.every((i) => i >= 0)) {
      names.forEach((nm, i) => {
        if (!idx.includes(i) && arr.shape[i] !== 1) {
          throw new IngestError(`${where}: axis "${nm}" has size ${arr.shape[i]}; only one ${nm === "c" ? "channel (grayscale, not RGB)" : nm} is accepted`, where);
        }
      });
      return idx;
    }
  }
  if (n < 3) throw new IngestError(`${where}: expected a 3-D array (z,y,x), found shape [${arr.shape.join(", ")}]`, where);
  for (let i = 0; i < n - 3; i++) {
    if (arr.shape[i] !== 1) throw new IngestError(`${where}: expected a 3-D array (z,y,x), found shape [${arr.shape.join(", ")}] (a channel axis of ${arr.shape[i]}, RGB?)`, where);
  }
  return [n - 3, n - 2, n - 1];
}

async function readRegion(arr: AnyArray, axes: number[], r: Region, where: string) {
  const sel: (zarr.Slice | number)[] = arr.shape.map(() => 0);
  sel[axes[0]!] = zarr.slice(r.z0, r.z1);
  sel[axes[1]!] = zarr.slice(r.y0, r.y1);
  sel[axes[2]!] = zarr.slice(r.x0, r.x1);
  let chunk;
  try {
    chunk = await zarr.get(arr, sel);
  } catch (e) {
    throw new IngestError(`${where}: cannot read the array (corrupt or missing chunk? ${errorText(e)})`, where, { cause: e });
  }
  const c = chunk as { data: ArrayLike<number>; shape: number[]; stride: number[] };
  // the kept axes keep their relative order; z,y,x by construction if the store's are ascending
  const order = [...axes].sort((a, b) => a - b).map((a) => axes.indexOf(a));
  const shapeZyx = [0, 1, 2].map((k) => c.shape[order.indexOf(k)]!) as [number, number, number];
  const strideZyx = [0, 1, 2].map((k) => c.stride[order.indexOf(k)]!) as [number, number, number];
  const Ctor = (c.data as unknown as { constructor: new (n: number) => ArrayLike<number> }).constructor;
  return contiguous(c.data as unknown as { length: number; [i: number]: unknown }, shapeZyx, strideZyx, (n) => new Ctor(n) as unknown as { length: number; [i: number]: unknown }) as unknown as ArrayLike<number>;
}

export async function readZarr(
  source: string,
  opts: { array?: string; labels?: string; groundTruth?: string; region?: Region } = {},
): Promise<OpenedVolume> {
  const where = path.resolve(source);
  const store = await openStore(source);
  const node = await openNode(store, opts.array ?? "", where);
  let arr: AnyArray;
  let names: string[] | null = null;
  let voxelSize: VoxelSize | undefined;
  if (node instanceof zarr.Array) {
    arr = node as AnyArray;
  } else {
    const attrs = node.attrs as Record<string, unknown>;
    const ms = (attrs.ome as { multiscales?: unknown } | undefined)?.multiscales ?? attrs.multiscales;
    const parsed = z.array(multiscaleSchema).min(1).safeParse(ms);
    if (!parsed.success) {
      throw new IngestError(`${where}: a Zarr group without OME-Zarr "multiscales" metadata; name the image array with --array`, where);
    }
    const m = parsed.data[0]!;
    const ds = m.datasets[0]!;
    const child = await openNode(store, [opts.array, ds.path].filter(Boolean).join("/"), where);
    if (!(child instanceof zarr.Array)) throw new IngestError(`${where}: multiscales dataset "${ds.path}" is not an array`, where);
    arr = child as AnyArray;
    const axes = m.axes?.map((a) => (typeof a === "string" ? { name: a } : a));
    names = axes?.map((a) => a.name) ?? null;
    const scaleOf = (ts?: z.infer<typeof transformSchema>[]) => ts?.find((t) => t.type === "scale")?.scale;
    const s = scaleOf(ds.coordinateTransformations);
    const g = scaleOf(m.coordinateTransformations);
    if (axes && s && s.length === axes.length) {
      const per = (name: string) => {
        const i = axes.findIndex((a) => a.name === name);
        const unit = axes[i]?.unit;
        const f = unit ? NM_PER_UNIT[unit] : undefined;
        return i >= 0 && f ? s[i]! * (g?.[i] ?? 1) * f : undefined;
      };
      const [x, y, zz] = [per("x"), per("y"), per("z")];
      if (x && y && zz) voxelSize = { x, y, z: zz };
    }
  }
  const axes = zyxAxes(arr, names, where);
  const full = { x: arr.shape[axes[2]!]!, y: arr.shape[axes[1]!]!, z: arr.shape[axes[0]!]! };
  const r = resolveRegion(opts.region, full, where);
  const grey = toGrey8(await readRegion(arr, axes, r, where), arr.dtype, where);
  const label = async (p: string | undefined) => {
    if (!p) return undefined;
    const n = await openNode(store, p, `${where} (labels "${p}")`);
    let la = n instanceof zarr.Array ? (n as AnyArray) : null;
    if (!la) {
      const ms = z.array(multiscaleSchema).min(1).safeParse((n.attrs as Record<string, unknown>).multiscales);
      if (ms.success) {
        const c = await openNode(store, `${p}/${ms.data[0]!.datasets[0]!.path}`, where);
        if (c instanceof zarr.Array) la = c as AnyArray;
      }
    }
    if (!la) throw new IngestError(`${where}: labels "${p}" are not an array`, where);
    const lAxes = zyxAxes(la, names && la.shape.length === names.length ? names : null, `${where} (labels "${p}")`);
    const ls = { x: la.shape[lAxes[2]!]!, y: la.shape[lAxes[1]!]!, z: la.shape[lAxes[0]!]! };
    if (ls.x !== full.x || ls.y !== full.y || ls.z !== full.z) {
      throw new IngestError(`${where}: labels "${p}" are ${ls.x}×${ls.y}×${ls.z} but the image is ${full.x}×${full.y}×${full.z} (x×y×z)`, where);
    }
    return toLabels32(await readRegion(la, lAxes, r, where), la.dtype, `${where} (labels "${p}")`);
  };
  return {
    format: "zarr",
    volume: inMemoryVolume(where, grey, regionShape(r)),
    voxelSize,
    supervoxels: await label(opts.labels),
    groundTruth: await label(opts.groundTruth),
  };
}
