// CSRF: a state-changing request must come from our own pages. Browsers send Sec-Fetch-Site on every
// request and Origin on every cross-origin POST, and a page on another site can set neither; scripts and
// the CLI send neither and are not a CSRF risk (they carry no victim's cookies). next-auth's own POSTs also
// carry its CSRF token; this check covers tRPC mutations and every other /api route.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

export function checkSameOrigin(method: string, headers: Headers, env: Record<string, string | undefined> = process.env): CsrfVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return { ok: false, reason: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  const origin = headers.get("origin");
  if (!origin) return { ok: true };
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return { ok: false, reason: "cross-site request refused (unreadable Origin)" };
  }
  const hosts = [headers.get("host"), headers.get("x-forwarded-host")?.split(",")[0]?.trim(), env.NEXTAUTH_URL ? safeHost(env.NEXTAUTH_URL) : null];
  if (hosts.some((h) => h && h.toLowerCase() === originHost)) return { ok: true };
  return { ok: false, reason: `cross-site request refused (Origin ${origin} is not this site)` };
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
