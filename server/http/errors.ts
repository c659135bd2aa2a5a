import "server-only";
import { DomainError, httpStatus } from "@/server/services/errors";

/** Maps a domain error to a plain HTTP JSON error; anything else is a 500 with no internals. */
export function errorResponse(err: unknown): Response {
  if (err instanceof DomainError) return Response.json({ error: err.message }, { status: httpStatus[err.code] });
  console.error(err);
  return Response.json({ error: "internal error" }, { status: 500 });
}

export const notFoundResponse = (message: string) => Response.json({ error: message }, { status: 404 });
