import type { NextConfig } from "next";
import { HSTS, SECURITY_HEADERS } from "./server/security/headers";

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
  // AXONAUT_SKIP_TYPECHECK=1 skips the build's type check (run `npm run typecheck` instead): lets a build
  // of one checkout go on while other files are mid-edit. CI leaves it on.
  typescript: { ignoreBuildErrors: process.env.AXONAUT_SKIP_TYPECHECK === "1" },
  typedRoutes: false,
  async headers() {
    // CSP, nosniff, referrer and permissions policies, no framing (server/security/headers.ts); HSTS only
    // when the request came over https, so plain-http development is not pinned to https.
    return [
      { source: "/(.*)", headers: SECURITY_HEADERS },
      { source: "/(.*)", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [HSTS] },
    ];
  },
};

export default config;
