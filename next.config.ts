import type { NextConfig } from "next";

const config: NextConfig = {
  // Separate build folders let several checkouts' test runs build side by side (AXONAUT_NEXT_DIR).
  distDir: process.env.AXONAUT_NEXT_DIR ?? ".next",
  // Native, wasm or file-reading packages: loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm", "@prisma/adapter-pg", "pg", "sharp", "hash-wasm"],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/(.*)",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default config;
