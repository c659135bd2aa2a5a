import { getDatabase } from "@/server/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const { db, kind } = await getDatabase();
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", database: kind }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "error" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
