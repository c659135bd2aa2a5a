// Rooms keep to their boundaries (docs/architecture): checked on every import in the tree.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" || e.name === "node_modules" ? [] : files(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  return [...src.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

const rules: Record<string, RegExp> = {
  core: /^(@\/(app|game|server|prisma)\/|react|next|phaser|@prisma|@trpc|node:)/,
  game: /^(@\/(app|server|prisma)\/|react|next|@prisma|@trpc)/,
  server: /^(@\/(app|game)\/|phaser|react$|react-dom)/,
};

for (const [room, forbidden] of Object.entries(rules)) {
  it(`${room}/ imports nothing it must not`, () => {
    const bad = files(room)
      .filter((f) => !/\.test(util)?\.ts$/.test(f))
      .flatMap((f) => imports(f).filter((i) => forbidden.test(i)).map((i) => `${f} imports ${i}`));
    expect(bad).toEqual([]);
  });
}

it("onnxruntime-web is imported by the suggestion worker only", () => {
  const importers = ["app", "core", "game", "server"]
    .flatMap(files)
    .filter((f) => !/\.test(util)?\.ts$/.test(f) && imports(f).some((i) => /^onnxruntime-web(\/|$)/.test(i)));
  expect(importers).toEqual([path.join("game", "inference", "suggest.worker.ts")]);
});
