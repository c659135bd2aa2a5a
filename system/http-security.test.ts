// Security as a browser or an attacker meets it, over HTTP against `next start`: the headers are on, a
// cross-site POST is refused (and stores nothing), and the sign-in limit answers 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import superjson from "superjson";
import { postgresUrl, preparedDatabase, requireBuild, startInstance, type Instance } from "@/bench/load/harness";

const url = postgresUrl();
let app: Instance;
let dbUrl: string;
const cleanup: (() => Promise<void>)[] = [];

describe.skipIf(!url)("HTTP security (one instance)", () => {
  beforeAll(async () => {
    requireBuild();
    const db = await preparedDatabase(url!, inject("templateDb"));
    cleanup.push(db.drop);
    dbUrl = db.url;
    app = await startInstance(db.url, { AXONAUT_RATE_LIMIT_SCALE: "1", AXONAUT_TRUST_PROXY: "1" });
    cleanup.push(() => app.stop());
  });
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => {});
  });

  it("pages and API answers carry CSP, nosniff, referrer, permissions and framing headers", async () => {
    for (const path of ["/", "/api/health"]) {
      const res = await fetch(app.base + path);
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("content-security-policy")).toContain("'wasm-unsafe-eval'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("permissions-policy")).toContain("camera=()");
      expect(res.headers.get("strict-transport-security")).toBeNull(); // plain http
    }
    const https = await fetch(`${app.base}/api/health`, { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("a cross-site POST to a tRPC mutation is refused with 403 and creates nothing; the same request from the site works", async () => {
    const signUp = (headers: Record<string, string>, username: string) =>
      fetch(`${app.base}/api/trpc/auth.signUp`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(superjson.serialize({ username, password: "purple-otter-drums" })) });
    const evil = await signUp({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, "csrf-victim");
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: string }).error).toMatch(/cross-site request refused/);
    const oldBrowser = await signUp({ origin: "https://evil.example" }, "csrf-victim");
    expect(oldBrowser.status).toBe(403);
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    expect((await c.query(`SELECT 1 FROM "User" WHERE "username" = 'csrf-victim'`)).rowCount).toBe(0);
    const ok = await signUp({ origin: app.base, "sec-fetch-site": "same-origin" }, "csrf-ok");
    expect(ok.status).toBe(200);
    expect((await c.query(`SELECT 1 FROM "User" WHERE "username" = 'csrf-ok'`)).rowCount).toBe(1);
    await c.end();
  });

  it("password guessing on one account gets 429 with Retry-After after 10 tries", async () => {
    const csrf = await fetch(`${app.base}/api/auth/csrf`);
    const cookie = csrf.headers.getSetCookie().map((s) => s.split(";")[0]).join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const attempt = (i: number) =>
      fetch(`${app.base}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": `192.0.2.${i}` }, // a different address each time
        body: new URLSearchParams({ csrfToken, username: "csrf-ok", password: `wrong-guess-${i}`, json: "true" }).toString(),
      });
    const statuses: number[] = [];
    for (let i = 1; i <= 10; i++) statuses.push((await attempt(i)).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const refused = await attempt(11);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toMatch(/Too many attempts/);
  });
});
