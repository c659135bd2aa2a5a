/**
 * Main-thread side of the suggestion worker: starts it, feeds it each slice of the cube once (when the
 * slice's grey tiles and label chunks have landed), and sends requests. Only the newest answer is
 * reported. No onnxruntime here: the worker is the only module that imports it.
 */
import type { FromWorker, SuggestRequest, SuggestResult, ToWorker, WorkerSlice } from "./protocol";

export type SuggestStatus =
  | { state: "off"; reason: string }
  | { state: "loading" }
  | { state: "ready"; backend: string; loadMs: number }
  | { state: "unavailable"; reason: string };

export type SuggestClientOptions = {
  width: number;
  height: number;
  depth: number;
  modelUrl: string;
  wasmPaths: string;
  onStatus(status: SuggestStatus): void;
  onResult(result: SuggestResult): void;
  onError?(message: string): void;
  /** Injected for tests; default: the bundled module worker. */
  createWorker?: () => Pick<Worker, "postMessage" | "terminate" | "addEventListener">;
};

export function defaultWorker(): Worker {
  // Turbopack and webpack both bundle this pattern as a separate worker entry.
  return new Worker(new URL("./suggest.worker.ts", import.meta.url), { type: "module", name: "axonaut-suggestions" });
}

export class SuggestClient {
  private readonly worker: Pick<Worker, "postMessage" | "terminate" | "addEventListener"> | null = null;
  private readonly sent: Uint8Array;
  private nextId = 1;
  private latestId = 0;
  private destroyed = false;
  status: SuggestStatus = { state: "loading" };

  constructor(private readonly opts: SuggestClientOptions) {
    this.sent = new Uint8Array(opts.depth);
    try {
      this.worker = (opts.createWorker ?? defaultWorker)();
    } catch (err) {
      this.setStatus({ state: "unavailable", reason: `this browser cannot start the suggestion worker (${err instanceof Error ? err.message : String(err)})` });
      return;
    }
    this.worker.addEventListener("message", (e: Event) => this.onMessage((e as MessageEvent<FromWorker>).data));
    this.worker.addEventListener("error", (e: Event) => {
      const m = (e as ErrorEvent).message || "the worker script failed to load";
      this.setStatus({ state: "unavailable", reason: `the suggestion worker stopped (${m})` });
    });
    this.post({ type: "init", modelUrl: opts.modelUrl, wasmPaths: opts.wasmPaths, width: opts.width, height: opts.height, depth: opts.depth });
  }

  get usable(): boolean {
    return this.worker !== null && (this.status.state === "loading" || this.status.state === "ready");
  }

  /** Slice z (cube-local) was sent already. */
  hasSlice(z: number): boolean {
    return this.sent[z] === 1;
  }

  /** Send slices (copied: the cube arrays stay with the game). */
  sendSlices(slices: WorkerSlice[]): void {
    if (!this.usable || slices.length === 0) return;
    const copies = slices.map((s) => ({ z: s.z, grey: s.grey.slice(), labels: s.labels.slice() }));
    for (const s of copies) this.sent[s.z] = 1;
    this.post({ type: "slices", slices: copies }, copies.flatMap((s) => [s.grey.buffer, s.labels.buffer]));
  }

  /** Ask for suggestions; returns the request id. */
  request(r: Omit<SuggestRequest, "type" | "id">): number {
    const id = this.nextId++;
    this.latestId = id;
    if (this.usable) this.post({ type: "suggest", id, ...r });
    return id;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.worker) {
      try {
        this.worker.postMessage({ type: "dispose" } satisfies ToWorker);
      } catch {
        /* already gone */
      }
      this.worker.terminate();
    }
  }

  private post(msg: ToWorker, transfer: Transferable[] = []): void {
    if (this.destroyed || !this.worker) return;
    this.worker.postMessage(msg, transfer);
  }

  private setStatus(s: SuggestStatus): void {
    this.status = s;
    if (!this.destroyed) this.opts.onStatus(s);
  }

  private onMessage(msg: FromWorker): void {
    if (this.destroyed) return;
    if (msg.type === "status") {
      if (msg.state === "ready") this.setStatus({ state: "ready", backend: msg.backend, loadMs: msg.loadMs });
      else if (msg.state === "unavailable") this.setStatus({ state: "unavailable", reason: msg.reason });
      else this.setStatus({ state: "loading" });
    } else if (msg.type === "result") {
      // Only the newest request's answers matter (an older one may still arrive first).
      if (msg.id === this.latestId) this.opts.onResult(msg);
    } else if (msg.type === "error") {
      this.opts.onError?.(msg.message);
    }
  }
}
