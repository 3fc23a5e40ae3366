// Cost attribution: the middleware chain one middleware at a time (`/mw/<k>`) and one platform
// call each (`/diag/*`), on the bench Worker's routes (bench/floor-worker.ts).
import { ATTRIBUTION, ATTRIBUTION_SECONDS, PARTIAL, attribution as into, fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";

const names = ["no middleware (JSON body)", "+ request id", "+ request log", "+ metrics and Server-Timing", "+ secure headers", "+ CORS"];

export const attribution: BenchScenario = {
  id: "attribution",
  // Not with BENCH_ONLY: a partial run is for the scenarios it names.
  when: () => ATTRIBUTION && !PARTIAL,
  run: async ({ rt, hot }) => {
    const att = (id: string, title: string, path: string) =>
      measure(rt, id, title, fixed([get(path)], 2), { seconds: ATTRIBUTION_SECONDS, into });
    for (let k = 0; k < names.length; k++) await att(`mw${k}`, `/mw/${k}: ${names[k]}`, `/mw/${k}`);
    await att("kv", "/diag/kv: 2 KV reads (version + key), a hit", `/diag/kv?slug=${hot.slug}`);
    await att("d1", "/diag/d1: 1 D1 point read", `/diag/d1?slug=${hot.slug}`);
    await att("do", "/diag/do: 1 RateLimiter Durable Object call", "/diag/do");
    await att("log", "/diag/log: 1 structured log line", "/diag/log");
  },
};
