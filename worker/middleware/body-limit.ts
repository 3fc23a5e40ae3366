// Refuses request bodies over the configured size with 413. Hono's bodyLimit checks
// Content-Length first and otherwise counts a re-wrapped stream, so tRPC still reads the body.
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { readConfig } from "../../lib/config";
import type { AppEnv } from "../app-env";
import { errorResponse } from "../errors";

// One limiter per configured size (in practice one per isolate), not one per request.
const limiters = new Map<number, ReturnType<typeof honoBodyLimit>>();
function limiterFor(maxSize: number) {
  let limiter = limiters.get(maxSize);
  if (!limiter) {
    limiter = honoBodyLimit({ maxSize, onError: (c) => errorResponse(c, "PAYLOAD_TOO_LARGE", "Request body is too large.") });
    limiters.set(maxSize, limiter);
  }
  return limiter;
}

export const bodyLimit = createMiddleware<AppEnv>((c, next) =>
  // GET and HEAD carry no body (tRPC queries travel in the URL).
  c.req.method === "GET" || c.req.method === "HEAD" ? next() : limiterFor(readConfig(c.env).maxBodyBytes)(c, next),
);
