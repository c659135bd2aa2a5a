import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["core/**/*.test.ts", "server/**/*.test.ts", "game/**/*.test.ts", "scripts/**/*.test.ts", "prisma/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test-support/global-setup.ts"],
    env: { AXONAUT_STORE: ".data/test-store" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    server: { deps: { inline: ["server-only"] } },
  },
});
