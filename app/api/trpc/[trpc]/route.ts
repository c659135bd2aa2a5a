import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRequestContext } from "@/server/http/context";
import { appRouter } from "@/server/trpc/router";
import { retryAfterFor } from "@/server/security/retry-after";

export const dynamic = "force-dynamic";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: createRequestContext,
    // 429 (rate limit) and 503 (database restarting) tell the client when to try again.
    responseMeta({ errors }) {
      const wait = retryAfterFor(errors);
      return wait ? { headers: new Headers({ "Retry-After": String(wait) }) } : {};
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"}:`, error.cause ?? error);
    },
  });

export { handler as GET, handler as POST };
