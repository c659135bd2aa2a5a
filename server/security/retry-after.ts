// Retry-After (seconds) for a response that carries rate-limit or database-down errors; null otherwise.
import type { TRPCError } from "@trpc/server";
import { DB_RETRY_AFTER_S } from "./db-unavailable";
import { RateLimitedError } from "./rate-limit";

export function retryAfterFor(errors: readonly TRPCError[]): number | null {
  let wait = 0;
  for (const e of errors) {
    if (e.code === "TOO_MANY_REQUESTS" && e.cause instanceof RateLimitedError) wait = Math.max(wait, e.cause.retryAfterS);
    else if (e.code === "SERVICE_UNAVAILABLE") wait = Math.max(wait, DB_RETRY_AFTER_S);
  }
  return wait || null;
}
