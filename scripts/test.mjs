// `npm test`: every test. Unit and integration tests (Vitest) on the database that DATABASE_URL names
// (PostgreSQL) or on PGlite, then the browser journeys (Playwright, Debian's Chromium) against a fresh
// `npm start`. Rebuilds the site only when sources changed since the last build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const bin = (name) => path.join("node_modules", ".bin", name);
const run = (cmd, args, env = process.env) => spawnSync(cmd, args, { stdio: "inherit", env }).status ?? 1;

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // generated/ is rewritten by every `prisma generate`; schema.prisma itself is counted below.
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the site when there is no build or sources changed since the last one. */
function ensureBuild(forWhat) {
  run(process.execPath, ["scripts/copy-ort-wasm.mjs"]); // public/ort/: before the freshness check
  const buildId = path.join(process.env.AXONAUT_NEXT_DIR ?? ".next", "BUILD_ID");
  const sources = Math.max(...["app", "game", "core", "server", "public"].filter((d) => existsSync(d)).map(newestMtime), statSync("next.config.ts").mtimeMs, existsSync("proxy.ts") ? statSync("proxy.ts").mtimeMs : 0, statSync("prisma/schema.prisma").mtimeMs);
  if (!existsSync(buildId) || statSync(buildId).mtimeMs < sources) {
    console.log(`building the site for ${forWhat} …`);
    if (run(bin("next"), ["build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }) !== 0) process.exit(1);
  }
}

const started = Date.now();
const dbUrl = process.env.DATABASE_URL?.trim() || "";
const dbKind = /^postgres(ql)?:\/\//.test(dbUrl) ? "postgresql" : "pglite";
console.log(`\n== Axonaut tests on ${dbKind} ==\n`);
if (run(process.execPath, ["scripts/prisma-generate.mjs"]) !== 0) process.exit(1);

const results = [];
if (process.env.AXONAUT_SKIP_UNIT !== "1") results.push(["unit+integration (vitest)", run(bin("vitest"), ["run"])]);

if (process.env.AXONAUT_SKIP_E2E === "1") {
  console.log("AXONAUT_SKIP_E2E=1: browser tests skipped");
} else {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    console.error(`error: browser tests need Chromium at ${chromium} (Debian: apt-get install -y chromium), or set CHROMIUM_PATH`);
    results.push(["browser (playwright)", 1]);
  } else {
    ensureBuild("the browser tests");
    // Each spec file gets a fresh server, data directory and database: journeys with scripted players
    // must not take each other's cubes.
    const specs = readdirSync("e2e").filter((f) => f.endsWith(".spec.ts")).sort();
    const baseDir = process.env.E2E_DATA_DIR ?? ".data/e2e";
    for (const spec of specs) {
      const dataDir = `${baseDir}-${spec.replace(/\.spec\.ts$/, "")}`;
      rmSync(dataDir, { recursive: true, force: true });
      const env = { ...process.env, E2E_DATA_DIR: dataDir, E2E_DB_KIND: dbKind };
      let dropDb = async () => {};
      if (dbKind === "postgresql") {
        const name = `axonaut_e2e_${Date.now().toString(36)}`;
        const admin = new pg.Client({ connectionString: dbUrl });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(dbUrl);
        url.pathname = `/${name}`;
        env.E2E_DATABASE_URL = url.toString();
        dropDb = async () => {
          const c = new pg.Client({ connectionString: dbUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        };
      }
      results.push([`browser ${spec}`, run(bin("playwright"), ["test", `e2e/${spec}`], env)]);
      await dropDb();
    }
  }
}

// System tests (system/): several `next start` instances on PostgreSQL, killed instances, a restarted
// private PostgreSQL, and a short load run. PostgreSQL only: PGlite is one process by design.
if (process.env.AXONAUT_SKIP_SYSTEM === "1") {
  console.log("AXONAUT_SKIP_SYSTEM=1: system tests skipped");
} else if (dbKind !== "postgresql") {
  console.log("system tests (two instances, faults, load) skipped: they need DATABASE_URL=postgresql://… (PGlite is a single process)");
} else {
  ensureBuild("the system tests");
  results.push(["system (multi-instance, faults, load)", run(bin("vitest"), ["run", "--config", "system/vitest.config.ts"])]);
}

const failed = results.filter(([, code]) => code !== 0);
console.log(`\n== ${dbKind}: ${results.map(([n, c]) => `${n} ${c === 0 ? "ok" : "FAILED"}`).join(", ")} in ${((Date.now() - started) / 1000).toFixed(0)} s ==`);
process.exit(failed.length ? 1 : 0);
