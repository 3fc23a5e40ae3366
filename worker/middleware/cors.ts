// CORS for browser frontends on other origins, limited to the ALLOWED_ORIGINS allow-list.
import type { Context } from "hono";
import { cors as honoCors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { readConfig } from "../../lib/config";
import type { AppEnv } from "../app-env";

const policy = honoCors({
  // Hono types this callback's context loosely (`env` is `any`); it is this app's.
  origin: (origin, c: Context<AppEnv>) => (readConfig(c.env).allowedOrigins.includes(origin) ? origin : null),
  credentials: true,
  allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
  allowHeaders: ["content-type", "authorization", "x-request-id", "trpc-accept", "x-trpc-batch-mode", "x-d1-bookmark"],
  exposeHeaders: [
    "x-request-id",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "server-timing",
    "x-d1-bookmark",
  ],
  maxAge: 600,
});

// Same-origin and server-to-server calls send no Origin: nothing to negotiate.
export const cors = createMiddleware<AppEnv>((c, next) => (c.req.header("origin") ? policy(c, next) : next()));
