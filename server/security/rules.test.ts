// The pure security rules: CSRF verdicts, trusted client addresses, password rules, headers, db-down errors.
import { describe, expect, it } from "vitest";
import { checkSameOrigin } from "./csrf";
import { clientIp } from "./client-ip";
import { passwordProblem } from "./password-rules";
import { contentSecurityPolicy, SECURITY_HEADERS } from "./headers";
import { isDatabaseUnavailable, isTransactionTimeout, isTransientConflict, retryOnConflict } from "./db-unavailable";
import { limitScale } from "./rate-limit";
import { sessionExpired } from "@/server/auth/options";

const h = (o: Record<string, string>) => new Headers(o);

describe("CSRF (same-origin) check", () => {
  it("refuses cross-site state-changing requests and lets same-origin pages, scripts and reads through", () => {
    expect(checkSameOrigin("POST", h({ host: "axonaut.example", origin: "https://evil.example", "sec-fetch-site": "cross-site" }))).toMatchObject({ ok: false, reason: expect.stringContaining("cross-site") });
    expect(checkSameOrigin("POST", h({ host: "axonaut.example", "sec-fetch-site": "same-site" })).ok).toBe(false);
    // An older browser without Sec-Fetch-*: the Origin decides.
    expect(checkSameOrigin("POST", h({ host: "axonaut.example", origin: "https://evil.example" })).ok).toBe(false);
    expect(checkSameOrigin("DELETE", h({ host: "axonaut.example", origin: "null" })).ok).toBe(false);
    expect(checkSameOrigin("POST", h({ host: "axonaut.example", origin: "https://axonaut.example", "sec-fetch-site": "same-origin" })).ok).toBe(true);
    expect(checkSameOrigin("POST", h({ host: "10.0.0.5:3000", "x-forwarded-host": "axonaut.example", origin: "https://axonaut.example" })).ok).toBe(true);
    expect(checkSameOrigin("POST", h({ host: "10.0.0.5:3000", origin: "https://axonaut.example" }), { NEXTAUTH_URL: "https://axonaut.example" }).ok).toBe(true);
    expect(checkSameOrigin("POST", h({ host: "axonaut.example" })).ok).toBe(true); // curl, the bench, the CLI
    expect(checkSameOrigin("GET", h({ host: "axonaut.example", origin: "https://evil.example", "sec-fetch-site": "cross-site" })).ok).toBe(true);
  });
});

describe("client address", () => {
  it("comes from x-forwarded-for only when AXONAUT_TRUST_PROXY says how many proxies to trust", () => {
    const headers = h({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" });
    expect(clientIp(headers, {})).toBeNull();
    expect(clientIp(headers, { AXONAUT_TRUST_PROXY: "1" })).toBe("203.0.113.7"); // the spoofed first entry is ignored
    expect(clientIp(headers, { AXONAUT_TRUST_PROXY: "2" })).toBe("6.6.6.6");
    expect(clientIp(h({ "x-forwarded-for": "not an ip" }), { AXONAUT_TRUST_PROXY: "1" })).toBeNull();
    expect(clientIp(h({ "x-forwarded-for": "::1" }), { AXONAUT_TRUST_PROXY: "true" })).toBe("::1");
    expect(() => clientIp(headers, { AXONAUT_TRUST_PROXY: "lots" })).toThrow(/AXONAUT_TRUST_PROXY/);
  });
});

describe("password rules", () => {
  it("need 10 characters, refuse the commonest passwords, runs, repeats and the username; accept passphrases", () => {
    expect(passwordProblem("short1")).toMatch(/at least 10/);
    expect(passwordProblem("Password123")).toMatch(/common/);
    expect(passwordProblem("qwertyuiop")).toMatch(/common/);
    expect(passwordProblem("aaaaaaaaaaaa")).toMatch(/repeat/);
    expect(passwordProblem("abababababab")).toMatch(/repeat/);
    expect(passwordProblem("3456789012")).toBeNull(); // wraps around: not a run
    expect(passwordProblem("9876543210")).toMatch(/run/);
    expect(passwordProblem("lmnopqrstu")).toMatch(/run/);
    expect(passwordProblem("ada-lovelace-1815", "Lovelace")).toMatch(/username/);
    expect(passwordProblem("correct horse battery")).toBeNull();
    expect(passwordProblem("x".repeat(257))).toMatch(/at most 256/);
  });
});

describe("headers and settings", () => {
  it("CSP allows what the game needs (wasm, blob workers, data/blob images) and forbids framing", () => {
    const csp = contentSecurityPolicy(false);
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(contentSecurityPolicy(true)).toContain("'unsafe-eval'");
    expect(SECURITY_HEADERS.map((x) => x.key)).toEqual(expect.arrayContaining(["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"]));
  });

  it("AXONAUT_RATE_LIMIT_SCALE is checked", () => {
    expect(limitScale({})).toBe(1);
    expect(limitScale({ AXONAUT_RATE_LIMIT_SCALE: "100" })).toBe(100);
    expect(() => limitScale({ AXONAUT_RATE_LIMIT_SCALE: "-1" })).toThrow(/AXONAUT_RATE_LIMIT_SCALE/);
  });

  it("student sessions end at studentUntil", () => {
    expect(sessionExpired({}, 2e9)).toBe(false);
    expect(sessionExpired({ studentUntil: 1000 }, 999)).toBe(false);
    expect(sessionExpired({ studentUntil: 1000 }, 1001)).toBe(true);
  });
});

describe("database-down errors", () => {
  it("are told apart from other failures", () => {
    expect(isDatabaseUnavailable({ code: "P1001" })).toBe(true);
    expect(isDatabaseUnavailable(new Error("x", { cause: { kind: "DatabaseNotReachable" } }))).toBe(true);
    expect(isDatabaseUnavailable({ message: "boom", meta: { driverAdapterError: { cause: { originalCode: "57P01" } } } })).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2002" })).toBe(false);
    expect(isDatabaseUnavailable(new Error("null value in column"))).toBe(false);
  });
});

describe("deadlocks", () => {
  it("are recognised and the transaction runs again, but other errors are thrown at once", async () => {
    expect(isTransientConflict({ code: "P2034" })).toBe(true);
    expect(isTransientConflict({ meta: { driverAdapterError: { cause: { kind: "TransactionWriteConflict" } } } })).toBe(true);
    expect(isTransientConflict({ code: "P2002" })).toBe(false);
    expect(isTransactionTimeout({ code: "P2028" })).toBe(true);
    expect(isTransactionTimeout({ code: "P2034" })).toBe(false);
    let calls = 0;
    await expect(retryOnConflict(async () => (++calls < 3 ? Promise.reject(Object.assign(new Error("deadlock"), { code: "P2034" })) : "done"))).resolves.toBe("done");
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryOnConflict(async () => (++calls, Promise.reject(new Error("other"))))).rejects.toThrow("other");
    expect(calls).toBe(1);
  });
});
