import { parseChunkKey } from "@/core/volume";
import { datasetSlug, serveFile } from "@/server/http/binary";
import { notFoundResponse } from "@/server/http/errors";
import { labelChunkPath } from "@/server/store/store";

// Supervoxel label chunks only: ground truth is never served.
export async function GET(req: Request, ctx: { params: Promise<{ id: string; chunk: string }> }) {
  const { id, chunk } = await ctx.params;
  const key = /^\d{1,5}_\d{1,5}_\d{1,5}$/.test(chunk) ? parseChunkKey(chunk) : null;
  if (!key) return notFoundResponse("no such chunk");
  const slug = await datasetSlug(id);
  if (!slug) return notFoundResponse("no such dataset");
  const res = await serveFile(req, labelChunkPath(slug, "supervoxels", key.cx, key.cy, key.cz), {
    "Content-Type": "application/octet-stream",
    "Content-Encoding": "gzip",
  });
  return res ?? notFoundResponse("no such chunk");
}
