/**
 * A multi-page TIFF: page z is slice z. Pages must share one size and be uint8 or uint16 grey
 * (RGB, float and the like are refused with what was found); 16-bit is stretched to 8-bit over
 * the whole stack (toGrey8), so the page decode keeps full depth.
 */
import path from "node:path";
import sharp from "sharp";
import { IngestError, errorText } from "../errors";
import { ACCEPTED_GREY, inMemoryVolume, resolveRegion, regionShape, toGrey8, type OpenedVolume, type Region } from "./volume";

const SHARP_DTYPE: Record<string, string> = { uchar: "uint8", char: "int8", ushort: "uint16", short: "int16", uint: "uint32", int: "int32", float: "float32", double: "float64", complex: "complex64", dpcomplex: "complex128" };

export async function readMultipageTiff(file: string, opts: { region?: Region } = {}): Promise<OpenedVolume> {
  const where = path.resolve(file);
  let meta;
  try {
    meta = await sharp(where, { limitInputPixels: false, pages: -1 }).metadata();
  } catch (e) {
    throw new IngestError(`${where}: unreadable or corrupt TIFF (${errorText(e)})`, where, { cause: e });
  }
  if (meta.format !== "tiff") throw new IngestError(`${where}: not a TIFF file (found ${meta.format ?? "an unknown format"})`, where);
  const pages = meta.pages ?? 1;
  const dtype = SHARP_DTYPE[meta.depth ?? ""] ?? meta.depth ?? "unknown";
  const channels = meta.channels ?? 0;
  if (dtype !== "uint8" && dtype !== "uint16") {
    throw new IngestError(`${where}: found ${channels}-channel ${dtype} pixels; accepted: ${ACCEPTED_GREY}`, where);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  const r = resolveRegion(opts.region, { x: width, y: height, z: pages }, where);
  const shape = regionShape(r);
  const plane = shape.x * shape.y;
  const raw = dtype === "uint16" ? new Uint16Array(plane * shape.z) : new Uint8Array(plane * shape.z);
  for (let z = r.z0; z < r.z1; z++) {
    let out;
    try {
      const img = sharp(where, { limitInputPixels: false, page: z });
      const m = await img.metadata();
      if (m.width !== width || m.height !== height) {
        throw new IngestError(`${where}: page ${z} is ${m.width}×${m.height} but page 0 is ${width}×${height} (all pages must have the same size)`, where);
      }
      const depth = dtype === "uint16" ? "ushort" : "uchar";
      const cut = img.extract({ left: r.x0, top: r.y0, width: shape.x, height: shape.y });
      if (channels >= 3) {
        // many writers store grey as three equal channels; real colour is refused
        const rgb = await cut.removeAlpha().raw({ depth }).toBuffer({ resolveWithObject: true });
        const v = depth === "ushort" ? new Uint16Array(rgb.data.buffer, rgb.data.byteOffset, rgb.data.byteLength / 2) : rgb.data;
        const n = rgb.info.channels;
        const grey = depth === "ushort" ? new Uint16Array(plane) : new Uint8Array(plane);
        for (let i = 0; i < plane; i++) {
          const a = v[i * n]!;
          if (v[i * n + 1] !== a || v[i * n + 2] !== a) {
            throw new IngestError(`${where}: page ${z} has colour (RGB) pixels; accepted: ${ACCEPTED_GREY}`, where);
          }
          grey[i] = a;
        }
        out = { data: Buffer.from(grey.buffer), info: rgb.info };
      } else {
        out = await cut.extractChannel(0).raw({ depth }).toBuffer({ resolveWithObject: true });
      }
    } catch (e) {
      if (e instanceof IngestError) throw e;
      throw new IngestError(`${where}: page ${z} is unreadable or corrupt (${errorText(e)})`, where, { cause: e });
    }
    const bytes = out.data;
    const values = dtype === "uint16" ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (values.length !== plane) throw new IngestError(`${where}: page ${z} decoded to ${values.length} pixels, expected ${plane}`, where);
    raw.set(values, (z - r.z0) * plane);
  }
  return { format: "tiff", volume: inMemoryVolume(where, toGrey8(raw, dtype, where), shape) };
}
