// The middleware every request passes through, in order. One list, so the app and the benchmark's
// cost attribution (bench/floor-worker.js) run exactly the same chain.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env";
import { cors } from "./cors";
import { requestLogger } from "./logger";
import { requestMetrics } from "./metrics";
import { requestId } from "./request-id";

export const middlewareChain: readonly MiddlewareHandler<AppEnv>[] = [
  requestId,
  requestLogger,
  requestMetrics,
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
  }),
  cors,
];
