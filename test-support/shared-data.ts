import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** Root of the repository. */
export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** The bundled sample volume (always present in a clone). */
export const sampleDir = path.join(repoRoot, "data", "neuroproof-medulla");

/**
 * Path inside `../shared/data` (datasets that live beside the project, not in it).
 * Throws a clear message naming what is missing, so a test never fails mysteriously.
 */
export function sharedDataPath(...parts: string[]): string {
  const root = process.env.AXONAUT_SHARED_DATA ?? path.join(repoRoot, "..", "shared", "data");
  const p = path.join(root, ...parts);
  if (!existsSync(p)) {
    throw new Error(
      `Missing shared test data: ${p}. These tests need ../shared/data beside the clone ` +
        `(or AXONAUT_SHARED_DATA pointing at it).`,
    );
  }
  return p;
}
