import { datasetSlug, serveFile } from "@/server/http/binary";
import { notFoundResponse } from "@/server/http/errors";
import { tilePath } from "@/server/store/store";

export async function GET(req: Request, ctx: { params: Promise<{ id: string; level: string; z: string; tile: string }> }) {
  const { id, level, z, tile } = await ctx.params;
  const m = /^(\d{1,5})_(\d{1,5})\.png$/.exec(tile);
  if (!m || !/^\d{1,2}$/.test(level) || !/^\d{1,6}$/.test(z)) return notFoundResponse("no such tile");
  const slug = await datasetSlug(id);
  if (!slug) return notFoundResponse("no such dataset");
  const res = await serveFile(req, tilePath(slug, Number(level), Number(z), Number(m[1]), Number(m[2])), { "Content-Type": "image/png" });
  return res ?? notFoundResponse("no such tile");
}
