// Tells "the database is down or restarting" apart from real failures, so the API answers 503 with a
// Retry-After (the client tries again, perhaps on another instance) instead of a 500. The pg pool drops
// broken connections and opens new ones by itself once PostgreSQL is back, so nothing has to be reset.

// Prisma: can't reach server, timed out, server closed the connection, pool timeout.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// Driver adapter error kinds (@prisma/driver-adapter-utils).
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// PostgreSQL SQLSTATEs: connection exceptions (08…), shutdown/restart (57P01-57P03), too many connections,
// and node's socket errors.
const SQLSTATE = /^(08\d{3}|57P0[1-3]|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND)$/;
const MESSAGES =
  /Connection terminated|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|ECONNREFUSED|Can't reach database server|Server has closed the connection|Timed out fetching a new connection|connect ECONNRESET|Client has encountered a connection error/i;

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 6) return false;
  const e = err as { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  if (typeof e.code === "string" && (PRISMA_CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.originalCode === "string" && SQLSTATE.test(e.originalCode)) return true;
  if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1);
}

export const DB_UNAVAILABLE_MESSAGE = "The database is unavailable for a moment: please try again.";
export const DB_RETRY_AFTER_S = 2;

// Deadlocks and serialization failures: the transaction lost a race and may simply run again.
const CONFLICT = /^(40001|40P01|P2034)$/;

export function isTransientConflict(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 6) return false;
  const e = err as { code?: unknown; kind?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  if (typeof e.code === "string" && CONFLICT.test(e.code)) return true;
  if (e.kind === "TransactionWriteConflict") return true;
  if (typeof e.originalCode === "string" && CONFLICT.test(e.originalCode)) return true;
  return isTransientConflict(e.cause, depth + 1) || isTransientConflict(e.meta?.driverAdapterError, depth + 1);
}

/** Runs a transaction again (up to `attempts` times, with a short random pause) when it lost a deadlock. */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (i >= attempts || !isTransientConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * i));
    }
  }
}

/** Prisma's interactive transaction ran past its timeout (P2028): it was rolled back, so trying again is safe. */
export function isTransactionTimeout(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 6) return false;
  const e = err as { code?: unknown; cause?: unknown };
  return e.code === "P2028" || isTransactionTimeout(e.cause, depth + 1);
}

export const BUSY_MESSAGE = "The server is busy: please try again.";
