/// <reference lib="webworker" />
/**
 * The suggestion worker: onnxruntime-web (wasm, single thread) runs the boundary model off the main
 * thread. THE ONLY MODULE THAT IMPORTS onnxruntime-web (scripts/boundaries.test.ts checks it).
 *
 * Started by suggest-client.ts as a module worker (new Worker(new URL(…, import.meta.url), { type:
 * "module" })), which Turbopack bundles as its own entry. next.config.ts aliases "onnxruntime-web/wasm"
 * to the build without the wasm inlined; the wasm and its JS glue are self-hosted:
 * `ort.env.wasm.wasmPaths` = "/ort/" (public/ort/, copied from node_modules by
 * scripts/copy-ort-wasm.mjs). Single-threaded, so no cross-origin isolation is needed.
 *
 * Protocol: protocol.ts. On `init` it fetches and opens the model (model-session.ts) and answers
 * `status` ready or unavailable (with the reason the HUD shows). `slices` feed the cube; `suggest`
 * requests are answered newest-first: a newer request makes an older one stop at the next slice.
 */
import * as ort from "onnxruntime-web/wasm";
import { openModel, type OrtRuntimeLike, type OrtSessionLike } from "./model-session";
import type { FromWorker, SuggestRequest, ToWorker, WorkerInit } from "./protocol";
import { SuggestEngine } from "./suggest-engine";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

let engine: SuggestEngine | null = null;
let session: OrtSessionLike | null = null;
let ready: Promise<boolean> | null = null;
let pending: SuggestRequest | null = null;
let running = false;

async function load(init: WorkerInit): Promise<boolean> {
  post({ type: "status", state: "loading" });
  const t0 = performance.now();
  const unavailable = (reason: string) => {
    post({ type: "status", state: "unavailable", reason });
    return false;
  };
  ort.env.wasm.wasmPaths = init.wasmPaths;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = "error";

  let bytes: Uint8Array;
  try {
    const res = await fetch(init.modelUrl, { credentials: "same-origin" });
    if (!res.ok) return unavailable(`the suggestion model is missing (${init.modelUrl} answered HTTP ${res.status})`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    return unavailable(`the suggestion model could not be downloaded (${message(err)})`);
  }
  const runtime = ort as unknown as OrtRuntimeLike;
  let opened;
  try {
    opened = await openModel(runtime, bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  } catch (err) {
    return unavailable(`the inference runtime did not start (${message(err)})`);
  }
  if (!opened.ok) return unavailable(runtimeOrModel(opened.reason));
  session = opened.session;
  engine = new SuggestEngine({ width: init.width, height: init.height, depth: init.depth }, opened.infer);
  post({ type: "status", state: "ready", backend: "onnxruntime-web, wasm, 1 thread", loadMs: Math.round(performance.now() - t0) });
  return true;
}

/** A wasm runtime that failed to load (e.g. /ort/ not served) shows up as a session error: say so. */
function runtimeOrModel(reason: string): string {
  return /\.wasm|wasm streaming|WebAssembly\.instantiate|ort-wasm|failed to fetch dynamically imported module|no available backend/i.test(reason)
    ? `the inference runtime did not start: ${reason}`
    : reason;
}

/**
 * Answer the newest request (one answer over the whole window: a quicker first answer on fewer slices
 * would show suggestions that the whole window then takes back).
 */
async function pump(): Promise<void> {
  if (running) return;
  running = true;
  try {
    while (pending && engine) {
      const req = pending;
      pending = null;
      const res = await engine.answer(req, () => pending !== null);
      if (res) post(res, res.split ? [res.split.dropMask.buffer] : []); // null: a newer request is waiting
    }
  } catch (err) {
    post({ type: "error", message: `suggestions failed: ${message(err)}` });
  } finally {
    running = false;
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case "init":
      ready = load(msg).catch((err) => {
        post({ type: "status", state: "unavailable", reason: `the suggestion model could not be loaded (${message(err)})` });
        return false;
      });
      break;
    case "slices":
      void ready?.then((ok) => {
        if (ok && engine) engine.addSlices(msg.slices);
      });
      break;
    case "suggest":
      void ready?.then((ok) => {
        if (!ok) return;
        if (!pending || msg.id > pending.id) pending = msg;
        void pump();
      });
      break;
    case "dispose":
      void session?.release?.();
      session = null;
      engine = null;
      scope.close();
      break;
  }
};

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
