// A private PostgreSQL server for the restart fault test, so the machine's shared server is never touched:
// Debian's initdb/pg_ctl in a temporary folder on a free port. PostgreSQL refuses to run as root, so as
// root it runs as the `postgres` user (runuser), which Debian's package creates.
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@/bench/load/harness";

export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

export type PrivatePostgres = { url: string; port: number; stop(): void; start(): void; destroy(): void; log(): string };

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql (Debian: apt-get install -y postgresql)");
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "axonaut-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  let uid = -1;
  if (asRoot) {
    const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    uid = Number(id.stdout.trim());
    if (id.status !== 0 || !Number.isInteger(uid)) throw new Error("running as root needs the `postgres` user to run PostgreSQL");
    chownSync(dir, uid, Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim()));
  }
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const r = spawnSync(c, a as string[], { encoding: "utf8", cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const pg = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => run("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]),
    stop: () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]),
    destroy: () => {
      try {
        pg.stop();
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => spawnSync("tail", ["-n", "40", path.join(dir, "log")], { encoding: "utf8" }).stdout,
  };
  pg.start();
  return pg;
}
