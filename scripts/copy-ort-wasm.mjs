// Self-hosts onnxruntime-web's wasm runtime: copies the two files the single-threaded wasm backend
// loads at run time from node_modules/onnxruntime-web/dist into public/ort/ (served as /ort/, see
// game/inference/README.md). Run by postinstall, `npm start` and `npm test` before they build, so the
// files always match the installed onnxruntime-web. A file already there with the same size is left
// alone (its mtime too, so the test runner does not rebuild for nothing). public/ort/ is git-ignored:
// the wasm is 14 MB.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "node_modules", "onnxruntime-web", "dist");
const target = path.join(root, "public", "ort");
/** The JS glue and the wasm of the plain (no JSEP/WebGPU, no asyncify) SIMD build: all the wasm backend needs. */
export const ORT_FILES = ["ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"];

export function copyOrtWasm({ quiet = false } = {}) {
  if (!existsSync(dist)) {
    console.warn("copy-ort-wasm: onnxruntime-web is not installed (npm install): suggestions will be unavailable");
    return 0;
  }
  mkdirSync(target, { recursive: true });
  let copied = 0;
  for (const name of ORT_FILES) {
    const from = path.join(dist, name);
    const to = path.join(target, name);
    if (existsSync(to) && statSync(to).size === statSync(from).size && sameHead(from, to)) continue;
    copyFileSync(from, to);
    copied++;
  }
  const version = JSON.parse(readFileSync(path.join(dist, "..", "package.json"), "utf8")).version;
  if (!quiet && copied > 0) console.log(`copy-ort-wasm: onnxruntime-web ${version} → public/ort/ (${copied} file(s))`);
  return copied;
}

/** Same first 64 KiB: cheap guard against a same-size file from another version. */
function sameHead(a, b) {
  const n = 65536;
  const ha = readFileSync(a).subarray(0, n);
  const hb = readFileSync(b).subarray(0, n);
  return ha.equals(hb);
}

if (import.meta.url === `file://${process.argv[1]}`) copyOrtWasm();
