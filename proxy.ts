// Runs before every /api route (Next 16 "proxy", formerly middleware): refuses cross-site state-changing
// requests (CSRF) with 403. Rate limits live in the routes and tRPC (they need the database).
import { NextResponse, type NextRequest } from "next/server";
import { checkSameOrigin } from "@/server/security/csrf";

export function proxy(request: NextRequest) {
  const verdict = checkSameOrigin(request.method, request.headers);
  if (!verdict.ok) return NextResponse.json({ error: verdict.reason }, { status: 403 });
  return NextResponse.next();
}

export const config = { matcher: "/api/:path*" };
