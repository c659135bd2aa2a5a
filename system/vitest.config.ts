// The system phase (`scripts/test.mjs` after the build): real `next start` instances on PostgreSQL. One file
// at a time: each starts its own servers and databases, and the machine may have only two cores.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("..", import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["system/**/*.test.ts"],
    environment: "node",
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    globalSetup: ["system/global-setup.ts"],
  },
});
