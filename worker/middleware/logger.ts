// The request's logger (bound to its id) and one structured log line per request. Logs the
// procedure names, never inputs, so no password or token can reach the logs from here.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { logger } from "../../lib/log";

const MAX_PROCEDURES_LOGGED = 512;

// The path is the caller's text: a malformed escape (`/trpc/%E0`) must not turn a request that
// tRPC answers with a 400 into a 500 from the logger. Such a path is logged as sent.
function procedureNames(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

export const requestLogger = createMiddleware<AppEnv>(async (c, next) => {
  const start = performance.now();
  const log = logger.child({ requestId: c.get("requestId") });
  c.set("log", log);
  await next();
  const path = c.req.path;
  const procedures = path.startsWith("/trpc/") ? procedureNames(path.slice(6)).slice(0, MAX_PROCEDURES_LOGGED) : undefined;
  const metrics = c.get("metrics");
  log[c.res.status >= 500 ? "error" : "info"]("request", {
    method: c.req.method,
    path: procedures ? "/trpc" : path,
    procedures,
    status: c.res.status,
    durationMs: Math.round((performance.now() - start) * 100) / 100,
    dbMs: metrics ? Math.round(metrics.dbMs * 100) / 100 : undefined,
    dbCalls: metrics?.dbCalls,
    userId: c.get("userId"),
  });
});
