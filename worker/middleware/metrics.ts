// Collects D1 and KV wait times for the request and reports them in Server-Timing.
import { createMiddleware } from "hono/factory";
import { setMetric } from "hono/timing";
import { newMetrics } from "../../db/metrics";
import type { AppEnv } from "../app-env";

export const requestMetrics = createMiddleware<AppEnv>(async (c, next) => {
  const metrics = newMetrics();
  c.set("metrics", metrics);
  await next();
  setMetric(c, "db", metrics.dbMs, `${metrics.dbCalls} D1 round trips`);
  setMetric(c, "cache", metrics.cacheMs, "KV");
});
