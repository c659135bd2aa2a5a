// Password hashing with Argon2id (memory-hard; OWASP's recommended minimum: m=19 MiB, t=2, p=1).
// hash-wasm is pure WebAssembly, so nothing native has to be built or downloaded.
import { argon2id, argon2Verify } from "hash-wasm";
import { randomBytes } from "node:crypto";

// Length limits and the block-list of common passwords: server/security/password-rules.ts.
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from "@/server/security/password-rules";

export async function hashPassword(password: string): Promise<string> {
  return argon2id({
    password,
    salt: randomBytes(16),
    parallelism: 1,
    iterations: 2,
    memorySize: 19 * 1024, // KiB
    hashLength: 32,
    outputType: "encoded",
  });
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash: encoded });
  } catch {
    return false;
  }
}
