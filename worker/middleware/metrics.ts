// Collects D1 and KV wait times for the request and reports them, with the total, in one
// Server-Timing header. (hono/timing did the same with per-request bookkeeping this needs none of.)
import { createMiddleware } from "hono/factory";
import { newMetrics } from "../../db/metrics";
import type { AppEnv } from "../app-env";

const ms = (n: number) => n.toFixed(1);

export const requestMetrics = createMiddleware<AppEnv>(async (c, next) => {
  const start = performance.now();
  const metrics = newMetrics();
  c.set("metrics", metrics);
  await next();
  c.res.headers.append(
    "server-timing",
    `total;dur=${ms(performance.now() - start)};desc="total", db;dur=${ms(metrics.dbMs)};desc="${metrics.dbCalls} D1 round trips", cache;dur=${ms(metrics.cacheMs)};desc="KV"`,
  );
});
