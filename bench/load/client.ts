// A scripted player over plain HTTP, as a browser would play: next-auth guest sign-in (csrf token, then
// the guest callback), then tRPC task.assign / trace.submit with the session cookie. Used by the load
// bench (bench/load/run.ts) and the multi-instance and fault tests (system/).
//
// Submissions are idempotent by traceId, so a client retries the same trace on another instance after a
// network error, a 503 (database restarting) or a 429, and counts it acknowledged once any instance
// answers it. Nothing here imports server code: it is a client.
import { randomUUID } from "node:crypto";
import superjson from "superjson";

export type Outcome = { ok: true; data: unknown; status: number } | { ok: false; status: number; code: string; message: string; retryAfterS: number | null };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Stats = {
  /** Latency in ms of each successful request, by kind. */
  latencies: { assign: number[]; submit: number[] };
  /** Failed attempts by "<status> <code>" (each retried). */
  errors: Map<string, number>;
  acknowledged: string[];
  retried: number;
};

export const newStats = (): Stats => ({ latencies: { assign: [], submit: [] }, errors: new Map(), acknowledged: [], retried: 0 });

const RETRIABLE = new Set([0, 429, 502, 503, 504]);

export class Player {
  private cookies = new Map<string, string>();
  constructor(
    /** Base URLs of the app instances; the player starts on `home` and moves on when one fails. */
    readonly bases: string[],
    private home: number,
    readonly stats: Stats,
    readonly headers: Record<string, string> = {},
  ) {}

  get base(): string {
    return this.bases[this.home % this.bases.length]!;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(this.base + path, {
      ...init,
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
      headers: { ...this.headers, ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    });
  }

  /** Signs in as a new guest (a new account). Retries on other instances like every call. */
  async signInGuest(): Promise<void> {
    await this.retrying("signin", async () => {
      const csrf = await this.request("/api/auth/csrf");
      if (!csrf.ok) return fail(csrf.status, "CSRF", `csrf: HTTP ${csrf.status}`, csrf);
      this.keep(csrf);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const res = await this.request("/api/auth/callback/guest", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
      });
      await res.arrayBuffer();
      if (res.status >= 400) return fail(res.status, "SIGNIN", `guest sign-in: HTTP ${res.status}`, res);
      this.keep(res);
      if (![...this.cookies.keys()].some((k) => k.endsWith("session-token"))) return fail(res.status, "SIGNIN", "guest sign-in gave no session cookie", res);
      return { ok: true, data: null, status: res.status };
    });
  }

  /** One tRPC mutation over fetch (superjson), without retries. */
  async mutation(path: string, input: unknown): Promise<Outcome> {
    let res: Response;
    try {
      res = await this.request(`/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(superjson.serialize(input)) });
    } catch (err) {
      return { ok: false, status: 0, code: "NETWORK", message: (err as Error).message, retryAfterS: null };
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // The instance died while answering: the request may or may not have taken effect. Retrying is safe
      // (submissions are idempotent by traceId; a lost assignment frees its place after the TTL).
      return { ok: false, status: 0, code: "NETWORK", message: `response cut off: ${(err as Error).message}`, retryAfterS: null };
    }
    let body: { result?: { data: unknown }; error?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return fail(res.status, "NOT_JSON", text.slice(0, 200), res);
    }
    if (res.ok && body.result) return { ok: true, data: superjson.deserialize(body.result.data as never), status: res.status };
    const e = (body.error as { json?: { message?: string; data?: { code?: string } } } | undefined)?.json;
    return fail(res.status, e?.data?.code ?? "UNKNOWN", e?.message ?? text.slice(0, 200), res);
  }

  /**
   * Runs `attempt` until it succeeds: a retriable failure (network, 429, 503…) moves the player to the next
   * instance and waits (Retry-After, at most 1 s); anything else throws.
   */
  async retrying(kind: string, attempt: () => Promise<Outcome>, deadline = Date.now() + 120_000): Promise<unknown> {
    for (;;) {
      const t0 = performance.now();
      const out = await attempt().catch((err: unknown): Outcome => ({ ok: false, status: 0, code: "NETWORK", message: (err as Error).message, retryAfterS: null }));
      if (out.ok) {
        if (kind === "assign" || kind === "submit") this.stats.latencies[kind].push(performance.now() - t0);
        return out.data;
      }
      const key = `${kind} ${out.status} ${out.code}`;
      this.stats.errors.set(key, (this.stats.errors.get(key) ?? 0) + 1);
      if (!RETRIABLE.has(out.status) || Date.now() > deadline) throw new HttpError(out.status, out.code, `${kind}: ${out.status} ${out.code}: ${out.message}`);
      this.stats.retried++;
      this.home++; // another instance
      await sleep(Math.min(1000, (out.retryAfterS ?? 0.1) * 1000));
    }
  }

  /** One GET with the player's cookies, body read; the status (0 on a network error), not retried. */
  async probe(path: string): Promise<number> {
    try {
      const res = await this.request(path);
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  assign(): Promise<GameTaskLite | null> {
    return this.retrying("assign", () => this.mutation("task.assign", undefined)) as Promise<GameTaskLite | null>;
  }

  /** Submits a trace (retried with the same traceId until acknowledged); returns its traceId. */
  async submit(taskId: string, supervoxels: number[]): Promise<{ traceId: string; result: unknown }> {
    const traceId = randomUUID();
    const result = await this.retrying("submit", () => this.mutation("trace.submit", { traceId, taskId, supervoxels }));
    this.stats.acknowledged.push(traceId);
    return { traceId, result };
  }
}

export type GameTaskLite = { taskId: string; neuronId: string; seeds: number[]; box: { x0: number; y0: number; z0: number; x1: number; y1: number; z1: number } };

function fail(status: number, code: string, message: string, res?: Response): Outcome {
  const ra = Number(res?.headers.get("retry-after"));
  return { ok: false, status, code, message, retryAfterS: Number.isFinite(ra) && ra > 0 ? ra : null };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
