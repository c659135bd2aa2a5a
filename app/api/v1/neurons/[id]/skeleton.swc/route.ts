import { getDatabase } from "@/server/db/client";
import { errorResponse, notFoundResponse } from "@/server/http/errors";
import { neuronSkeletonSwc } from "@/server/services/skeleton-export";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return notFoundResponse("neuron not found");
  try {
    const { db } = await getDatabase();
    const { filename, swc } = await neuronSkeletonSwc(db, id);
    return new Response(swc, {
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
