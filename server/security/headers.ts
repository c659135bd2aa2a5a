// Security headers for every response (next.config.ts `headers()`). No imports: next.config loads this.
//
// CSP choices (checked in Chromium by the e2e journeys with these headers on):
// - script-src 'unsafe-inline': Next's App Router streams inline bootstrap scripts. Nonces would need every
//   page to render per request (no static pages); React escapes all rendered text, so the inline allowance
//   is the smaller risk. 'wasm-unsafe-eval' lets onnxruntime-web compile its WebAssembly (not JS eval).
//   Development adds 'unsafe-eval' for React's refresh runtime.
// - worker-src 'self' blob:: the suggestions worker (and onnxruntime-web's proxy worker, made from a blob).
// - img-src data: blob:: tiles decoded to blobs and canvas snapshots; connect-src 'self': tRPC, tiles, ort.
// - frame-ancestors 'none': no one frames the game (clickjacking).
export function contentSecurityPolicy(dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' data: blob:${dev ? " ws:" : ""}`,
    "worker-src 'self' blob:",
    "media-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

export const SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy() },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  // The game uses none of these; camera stays off (the QR code is shown, never scanned in the page).
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
];

/** Sent only when the request came over https (directly or as the proxy says): plain-http dev stays usable. */
export const HSTS = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };
