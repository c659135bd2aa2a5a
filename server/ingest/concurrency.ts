import os from "node:os";

/** Default number of concurrent encode/compress jobs: enough to keep libuv's 4 threads busy on small machines. */
export function defaultConcurrency(): number {
  const cpus = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(2, Math.min(8, cpus * 2));
}

/**
 * Run `fn(0..count-1)` with at most `limit` in flight. On the first failure (or abort) no new job
 * starts; the call waits for the running ones to settle (so nothing is still writing when the
 * caller cleans up) and then rejects with the first error.
 */
export async function forEachLimit(
  count: number,
  limit: number,
  fn: (index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const fail = (e: unknown) => {
    if (!failed) {
      failed = true;
      firstError = e;
    }
  };
  const worker = async () => {
    while (!failed && next < count) {
      if (signal?.aborted) {
        fail(signal.reason);
        return;
      }
      const i = next++;
      try {
        await fn(i);
      } catch (e) {
        fail(e);
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker);
  await Promise.all(workers);
  if (failed) throw firstError;
}
