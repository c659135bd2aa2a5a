import { defineConfig } from "prisma/config";

// Only used by `prisma generate` (scripts/prisma-generate.mjs). Migrations run through
// server/db/migrate.ts, which needs no schema-engine binary download.
export default defineConfig({
  schema: "prisma/schema.prisma",
});
