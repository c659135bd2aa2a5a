// A minimal POSIX ustar writer for multi-file exports (precomputed, csv) served as one .tar.gz download.
// Node has gzip built in but no tar; the format is a 512-byte header per file plus the data padded to 512.
import { gzipSync } from "node:zlib";

export type TarEntry = { path: string; data: Uint8Array | string };

const enc = new TextEncoder();

function header(path: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(512);
  const put = (s: string, off: number, len: number) => h.set(enc.encode(s).subarray(0, len), off);
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, "0") + "\0";
  const bytes = enc.encode(path);
  if (bytes.length > 255) throw new Error(`tar: path too long: ${path}`);
  let name = path, prefix = "";
  if (bytes.length > 100) {
    const cut = path.lastIndexOf("/", 155);
    if (cut <= 0 || enc.encode(path.slice(cut + 1)).length > 100) throw new Error(`tar: path cannot be split: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtime / 1000), 12), 136, 12);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = 0x30; // '0': regular file
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
  return h;
}

/** A .tar.gz of the entries (paths are "/"-separated and relative), under one top folder. */
export function tarGz(entries: TarEntry[], folder: string, mtime = Date.now()): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.data === "string" ? enc.encode(e.data) : e.data;
    parts.push(header(`${folder}/${e.path}`, data.length, mtime), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(1024)); // two zero blocks end the archive
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return new Uint8Array(gzipSync(out));
}
