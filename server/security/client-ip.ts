// The client's address, for per-IP rate limits. Next's own server fills x-forwarded-for with the socket
// address only when the request has none, so a client can write that header itself: it is trusted only when
// AXONAUT_TRUST_PROXY names how many proxies we run in front (1 = one load balancer that appends the
// address it saw). Untrusted: null, and per-IP limits are skipped (per-account limits still apply).
const IP = /^[0-9a-fA-F:.]{2,45}$/;

export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const raw = env.AXONAUT_TRUST_PROXY?.trim();
  if (!raw || raw === "0" || raw === "false") return 0;
  if (raw === "true") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new Error(`AXONAUT_TRUST_PROXY must be 0, 1 or the number of proxies in front (got "${raw}")`);
  return n;
}

export function clientIp(headers: Headers, env: Record<string, string | undefined> = process.env): string | null {
  const hops = trustedProxyHops(env);
  if (!hops) return null;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Our proxies appended the last `hops` entries; the one they saw first is the client.
  const ip = chain[Math.max(0, chain.length - hops)];
  return ip && IP.test(ip) ? ip.toLowerCase() : null;
}
