// `npm start`: generate the Prisma client and build when missing, run first-time setup (migrations, the
// sample volume, the demo campaign), then serve on PORT (default 3000).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`error: ${[cmd, ...args].join(" ")} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
};
const bin = (name) => path.join("node_modules", ".bin", name);

if (!existsSync("server/db/generated/client.ts")) run(process.execPath, ["scripts/prisma-generate.mjs"]);
// onnxruntime-web's wasm runtime, self-hosted under public/ort/ (suggestions in the game).
run(process.execPath, ["scripts/copy-ort-wasm.mjs"]);
if (!existsSync(path.join(process.env.AXONAUT_NEXT_DIR ?? ".next", "BUILD_ID")) || process.env.AXONAUT_REBUILD === "1") {
  console.log("building the site (first start only) …");
  run(bin("next"), ["build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
}

const dataDir = process.env.AXONAUT_DATA_DIR ?? ".data";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
if (!env.NEXTAUTH_SECRET) {
  // Embedded default: one secret made on first start and kept, so sessions survive restarts.
  const file = path.join(dataDir, "auth-secret");
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
}
// Without a configured public URL, sessions follow the Host header (fine on one machine; set NEXTAUTH_URL behind a proxy).
if (!env.NEXTAUTH_URL) env.AUTH_TRUST_HOST = "true";

run(bin("tsx"), ["server/cli/setup.ts"], env);
const port = env.PORT ?? "3000";
console.log(`Axonaut is starting on http://localhost:${port}`);
const child = spawn(bin("next"), ["start", "-p", port, ...(env.HOSTNAME ? ["-H", env.HOSTNAME] : [])], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
