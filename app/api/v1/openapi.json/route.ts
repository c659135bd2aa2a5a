// GET /api/v1/openapi.json: the OpenAPI 3.1 description of this API (server/http/openapi.ts).
import { openApiDocument } from "@/server/http/openapi";

export const dynamic = "force-static";
export function GET() {
  return Response.json(openApiDocument, { headers: { "Cache-Control": "public, max-age=300" } });
}
