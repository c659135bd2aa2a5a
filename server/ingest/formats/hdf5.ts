/**
 * HDF5 (h5wasm): one 3-D dataset, axes z,y,x. The image dataset is `dataset` or, when not given, the
 * only 3-D dataset in the file (or "raw" / "volumes/raw", as in CREMI). Voxel size comes from a
 * `resolution` attribute (nm, z,y,x as in CREMI) or `element_size_um` (µm, z,y,x as in ilastik/Fiji).
 * Labels are other datasets of the same file, given by path.
 */
import path from "node:path";
import { stat } from "node:fs/promises";
import { IngestError, errorText } from "../errors";
import { ACCEPTED_GREY, inMemoryVolume, regionShape, resolveRegion, toGrey8, toLabels32, type OpenedVolume, type Region, type VoxelSize } from "./volume";

type H5Dataset = {
  shape: number[] | null;
  dtype: unknown;
  metadata: { type: number; signed: boolean; size: number };
  attrs: Record<string, { value: unknown }>;
  slice(ranges: [number, number][]): ArrayLike<number> | ArrayLike<bigint> | null;
};
type H5Group = { keys(): string[]; get(p: string): unknown };

let ready: Promise<typeof import("h5wasm/node")["default"]> | null = null;
async function h5() {
  ready ??= import("h5wasm/node").then(async (m) => {
    await m.default.ready;
    return m.default;
  });
  return ready;
}

function dtypeOf(d: H5Dataset): string {
  const m = d.metadata;
  if (m.type === 0) return `${m.signed ? "int" : "uint"}${m.size * 8}`;
  if (m.type === 1) return `float${m.size * 8}`;
  return `HDF5 class ${m.type}`;
}

const isDataset = (x: unknown): x is H5Dataset => typeof x === "object" && x !== null && "shape" in x && "metadata" in x;
const isGroup = (x: unknown): x is H5Group => typeof x === "object" && x !== null && "keys" in x && !("shape" in x);

function findDatasets(g: H5Group, prefix = "", out: string[] = [], depth = 0): string[] {
  for (const k of g.keys()) {
    const child = g.get(k);
    const p = prefix ? `${prefix}/${k}` : k;
    if (isDataset(child)) out.push(p);
    else if (isGroup(child) && depth < 4) findDatasets(child, p, out, depth + 1);
  }
  return out;
}

/** Squeeze leading singleton axes; the last three are z,y,x. */
function zyx(shape: number[] | null, where: string): [number, number, number] {
  const s = (shape ?? []).slice();
  while (s.length > 3 && s[0] === 1) s.shift();
  if (s.length !== 3) throw new IngestError(`${where}: expected a 3-D dataset (z,y,x), found shape [${(shape ?? []).join(", ")}]`, where);
  return s as [number, number, number];
}

function voxelSizeOf(d: H5Dataset): VoxelSize | undefined {
  const attr = (name: string) => {
    const v = d.attrs[name]?.value;
    const a = v && typeof v === "object" && "length" in v ? Array.from(v as ArrayLike<number>, Number) : null;
    return a && a.length === 3 && a.every((n) => Number.isFinite(n) && n > 0) ? a : null;
  };
  const nm = attr("resolution");
  if (nm) return { x: nm[2]!, y: nm[1]!, z: nm[0]! };
  const um = attr("element_size_um");
  if (um) return { x: um[2]! * 1000, y: um[1]! * 1000, z: um[0]! * 1000 };
  return undefined;
}

function read(d: H5Dataset, full: [number, number, number], r: Region): ArrayLike<number> | ArrayLike<bigint> {
  const lead = (d.shape ?? []).length - 3;
  const ranges: [number, number][] = [...Array.from({ length: lead }, () => [0, 1] as [number, number]), [r.z0, r.z1], [r.y0, r.y1], [r.x0, r.x1]];
  void full;
  const data = d.slice(ranges);
  if (!data) throw new Error("empty read");
  return data;
}

export async function readHdf5(file: string, opts: { dataset?: string; labels?: string; groundTruth?: string; region?: Region } = {}): Promise<OpenedVolume> {
  const abs = path.resolve(file);
  try {
    if (!(await stat(abs)).isFile()) throw new IngestError(`${abs} is not a file (expected an HDF5 file)`, abs);
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError(`HDF5 file not found: ${abs}`, abs, { cause: e });
  }
  const lib = await h5();
  let f;
  try {
    f = new lib.File(abs, "r");
  } catch (e) {
    throw new IngestError(`${abs}: not a readable HDF5 file (corrupt or another format: ${errorText(e)})`, abs, { cause: e });
  }
  try {
    const root = f as unknown as H5Group;
    const all = (() => {
      try {
        return findDatasets(root);
      } catch (e) {
        throw new IngestError(`${abs}: not a readable HDF5 file (corrupt: ${errorText(e)})`, abs, { cause: e });
      }
    })();
    const pick = (name: string | undefined, role: string): H5Dataset => {
      let p = name;
      if (!p) {
        const threeD = all.filter((k) => {
          const d = root.get(k);
          return isDataset(d) && (d.shape ?? []).filter((n) => n > 1).length === 3;
        });
        p = threeD.length === 1 ? threeD[0] : (["raw", "volumes/raw"].find((k) => all.includes(k)) ?? undefined);
        if (!p) throw new IngestError(`${abs}: cannot tell which dataset is the ${role} (found: ${all.join(", ") || "none"}); name it with --array`, abs);
      }
      const d = root.get(p.replace(/^\//, ""));
      if (!isDataset(d)) throw new IngestError(`${abs}: no dataset "${p}" (found: ${all.join(", ") || "none"})`, abs);
      return d;
    };
    const img = pick(opts.dataset, "image");
    const where = `${abs} (${opts.dataset ?? "image dataset"})`;
    const full = zyx(img.shape, where);
    const dtype = dtypeOf(img);
    if (dtype !== "uint8" && dtype !== "uint16") throw new IngestError(`${where}: data type ${dtype} is not supported for the image (accepted: ${ACCEPTED_GREY})`, abs);
    const r = resolveRegion(opts.region, { x: full[2], y: full[1], z: full[0] }, abs);
    const shape = regionShape(r);
    const readOrFail = (d: H5Dataset, what: string) => {
      try {
        return read(d, full, r);
      } catch (e) {
        throw new IngestError(`${abs}: cannot read ${what} (corrupt file? ${errorText(e)})`, abs, { cause: e });
      }
    };
    const grey = toGrey8(readOrFail(img, "the image"), dtype, abs);
    const label = (name: string | undefined) => {
      if (!name) return undefined;
      const d = pick(name, "labels");
      const s = zyx(d.shape, `${abs} (${name})`);
      if (s[0] !== full[0] || s[1] !== full[1] || s[2] !== full[2]) {
        throw new IngestError(`${abs}: labels "${name}" have shape ${s.join("×")} but the image has ${full.join("×")} (z×y×x)`, abs);
      }
      return toLabels32(readOrFail(d, `labels "${name}"`), dtypeOf(d), `${abs} (${name})`);
    };
    return {
      format: "hdf5",
      volume: inMemoryVolume(abs, grey, shape),
      voxelSize: voxelSizeOf(img),
      supervoxels: label(opts.labels),
      groundTruth: label(opts.groundTruth),
    };
  } finally {
    f.close();
  }
}
