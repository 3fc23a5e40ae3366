// The middleware every request passes through, in order. One list, so the app and the benchmark's
// cost attribution (bench/floor-worker.ts) run exactly the same chain.
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
  // The headers OWASP's REST Security Cheat Sheet lists for API responses, plus Referrer-Policy
  // and Cross-Origin-Resource-Policy. The ones that only act on HTML documents are off: the API
  // answers JSON, and each header costs every response a little (BENCHMARKS.md). No overwrite:
  // the web app's documents (worker/app-pages.ts) set their own Content-Security-Policy.
  secureHeaders({
    overwrite: false,
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    xFrameOptions: "DENY",
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }),
  cors,
];
