/**
 * Reading label volumes: gzip of raw little-endian uint32, C order z,y,x (x fastest).
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { IngestError, errorText } from "./errors";

export type LabelShape = { x: number; y: number; z: number };

const fmtShape = (s: LabelShape) => `x=${s.x}, y=${s.y}, z=${s.z}`;

/** Cheap pre-check (before any work): the file exists, is a file, and starts with the gzip magic bytes. */
export async function checkLabelFile(file: string, shape: LabelShape): Promise<void> {
  let fh;
  try {
    fh = await open(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new IngestError(`label file not found: ${file}`, file, { cause: e });
    if (code === "EISDIR") throw new IngestError(`${file} is a folder, expected a gzipped raw uint32 label file`, file);
    throw new IngestError(`cannot open label file ${file}: ${errorText(e)}`, file, { cause: e });
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new IngestError(`${file} is a folder, expected a gzipped raw uint32 label file`, file);
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
      throw new IngestError(
        `${file} is not gzip-compressed (expected gzip of raw little-endian uint32 labels, shape ${fmtShape(shape)})`,
        file,
      );
    }
  } finally {
    await fh.close();
  }
}

/**
 * Decompress a label file into a Uint32Array of x*y*z voxels (z slowest, x fastest).
 * Streams into one preallocated buffer (no second copy) and stops early on a file that
 * inflates far past the expected size. Throws IngestError naming the file and the expected
 * shape when the byte length is not x*y*z*4.
 */
export async function readLabels(
  file: string,
  shape: LabelShape,
  opts: { onProgress?: (slicesDone: number, slices: number) => void; signal?: AbortSignal } = {},
): Promise<Uint32Array> {
  const abs = path.resolve(file);
  const voxels = shape.x * shape.y * shape.z;
  const expected = voxels * 4;
  const sliceBytes = shape.x * shape.y * 4;
  await checkLabelFile(abs, shape);

  const out = new Uint32Array(voxels);
  const bytes = new Uint8Array(out.buffer);
  const cap = 2 * expected + 1; // enough to tell "uint64?" apart; stop counting after that
  let total = 0;
  let lastSlices = -1;
  let capped = false;
  const input = createReadStream(abs);
  const gunzip = createGunzip();
  const stream = input.pipe(gunzip);
  input.on("error", (e) => gunzip.destroy(e));
  const onAbort = () => gunzip.destroy(opts.signal?.reason as Error);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    opts.signal?.throwIfAborted();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (total < expected) bytes.set(chunk.subarray(0, expected - total), total);
      total += chunk.length;
      if (total > cap) {
        capped = true;
        break;
      }
      const slices = Math.min(shape.z, Math.floor(total / sliceBytes));
      if (slices !== lastSlices && opts.onProgress) {
        lastSlices = slices;
        opts.onProgress(slices, shape.z);
      }
    }
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (e instanceof IngestError) throw e;
    const msg = errorText(e);
    const what = /unexpected end of file/i.test(msg) ? "gzip data is truncated" : "corrupt gzip data";
    throw new IngestError(`${abs}: ${what} (${msg})`, abs, { cause: e });
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    input.destroy();
    gunzip.destroy();
  }

  if (total !== expected) {
    const got = capped ? `more than ${cap} bytes` : `${total} bytes`;
    let hint = "";
    if (!capped && total === 2 * expected) hint = " (that is exactly 8 bytes per voxel: uint64 labels? convert them to uint32)";
    else if (!capped && total * 2 === expected) hint = " (that is exactly 2 bytes per voxel: uint16 labels? convert them to uint32)";
    else if (!capped && total % sliceBytes === 0)
      hint = ` (that is ${total / sliceBytes} slices of ${shape.x}×${shape.y}, but there are ${shape.z} image slices)`;
    throw new IngestError(
      `${abs}: decompressed size is ${got} but the image volume ${fmtShape(shape)} needs x*y*z*4 = ${expected} bytes of uint32 labels${hint}`,
      abs,
    );
  }
  if (os.endianness() === "BE") {
    Buffer.from(out.buffer).swap32(); // file is little-endian
  }
  return out;
}
