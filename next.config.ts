import type { NextConfig } from "next";

const config: NextConfig = {
  // Separate build folders let several checkouts' test runs build side by side (AXONAUT_NEXT_DIR).
  distDir: process.env.AXONAUT_NEXT_DIR ?? ".next",
  // Native, wasm or file-reading packages: loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm", "@prisma/adapter-pg", "pg", "sharp", "hash-wasm"],
  // The suggestion worker's onnxruntime-web: the build without the wasm inlined (the wasm and its JS
  // glue are self-hosted under public/ort/, scripts/copy-ort-wasm.mjs), so the bundle stays small.
  turbopack: {
    resolveAlias: { "onnxruntime-web/wasm": "./node_modules/onnxruntime-web/dist/ort.wasm.min.mjs" },
  },
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
