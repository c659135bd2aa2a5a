// `prisma generate` without network: generate never runs the schema engine, it only checks that
// the binary path exists, so point it at any executable (see docs/stack notes).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
const r = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], { stdio: "inherit", env });
if (r.status !== 0 || !existsSync("server/db/generated/client.ts")) {
  console.error("error: prisma generate failed");
  process.exit(1);
}
