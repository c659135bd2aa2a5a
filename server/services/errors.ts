// Domain errors thrown by services. One tRPC middleware (server/trpc/init.ts) and the HTTP routes map
// them to status codes, so services never know about transport.
export type DomainErrorCode = "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const badInput = (message: string, details?: string[]) => new DomainError("BAD_REQUEST", message, details);
export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "You are not allowed to do that") => new DomainError("FORBIDDEN", message);
export const unauthorized = (message = "Sign in or play as a guest first") => new DomainError("UNAUTHORIZED", message);
export const conflict = (message: string) => new DomainError("CONFLICT", message);

export const httpStatus: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};
