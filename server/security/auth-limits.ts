// Rate limits for next-auth's sign-in callbacks (password, student code + secret, guest), checked before
// next-auth sees the request so an over-limit attempt never reaches password hashing. Over the limit:
// HTTP 429 with Retry-After, and a body next-auth's client understands (`url` carrying ?error=…).
import { normalizeCode } from "@/core/join-code";
import { normalizeNickname } from "@/core/class-secret";
import type { Db } from "@/server/db/client";
import { clientIp } from "./client-ip";
import { DB_RETRY_AFTER_S, DB_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "./db-unavailable";
import { enforce, RateLimitedError, RULES, type Check } from "./rate-limit";

const PROVIDERS = new Set(["credentials", "student", "guest"]);

/** The checks for a sign-in POST to /api/auth/callback/<provider>; null for every other request. */
export function signInChecks(provider: string, form: URLSearchParams | FormData, ip: string | null): Check[] | null {
  if (!PROVIDERS.has(provider)) return null;
  const field = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const byIp = (rule: Check["rule"]): Check[] => (ip ? [{ rule, subject: ip }] : []);
  if (provider === "guest") return byIp(RULES.guestIp);
  if (provider === "credentials") {
    const user = field("username").trim().toLowerCase().slice(0, 64);
    return [...byIp(RULES.signInIp), ...(user ? [{ rule: RULES.signInAccount, subject: user }] : [])];
  }
  const code = normalizeCode(field("code").slice(0, 20));
  const nick = normalizeNickname(field("nickname").slice(0, 40));
  return [...byIp(RULES.studentSignInIp), ...(code && nick.ok ? [{ rule: RULES.studentSignInAccount, subject: `${code}:${nick.key}` }] : [])];
}

/** A response that stops the request (429 or 503), or null to let next-auth handle it. */
export async function limitSignIn(req: Request, db: () => Promise<Db>): Promise<Response | null> {
  if (req.method !== "POST") return null;
  const m = /\/api\/auth\/callback\/([a-z]+)\/?$/.exec(new URL(req.url).pathname);
  if (!m) return null;
  const form = await req
    .clone()
    .formData()
    .catch(() => new FormData());
  const checks = signInChecks(m[1]!, form, clientIp(req.headers));
  if (!checks?.length) return null;
  try {
    await enforce(await db(), checks);
    return null;
  } catch (err) {
    const url = (code: string) => new URL(`/signin?error=${code}`, req.url).toString();
    if (err instanceof RateLimitedError) {
      return Response.json({ url: url("TooManyAttempts"), error: err.message }, { status: 429, headers: { "Retry-After": String(err.retryAfterS) } });
    }
    if (isDatabaseUnavailable(err)) {
      return Response.json({ url: url("Unavailable"), error: DB_UNAVAILABLE_MESSAGE }, { status: 503, headers: { "Retry-After": String(DB_RETRY_AFTER_S) } });
    }
    throw err;
  }
}
