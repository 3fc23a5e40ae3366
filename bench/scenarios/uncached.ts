// Scenarios 12 and 4: a search and a `catalog.get` with every cache missed (each input sent at
// most once), so every answer is a D1 read. They run last: their one-off reads leave tens of
// thousands of KV entries behind, and Miniflare's KV simulator then slows the whole workerd
// process for minutes (in one run the floors paired with scenarios 5–9 fell from ~3 800 to
// 2 000–2 900 req/s), which would be charged to every scenario after them. The drift check (1b)
// right after them shows what is left.
import { randomUUID } from "node:crypto";
import { CONNECTIONS, IP_POOL, WARMUP, measure, runChild } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";
import type { BenchContext } from "../setup.ts";

async function uncached(ctx: BenchContext, id: string, title: string, procedure: string, inputs: unknown[], what: string) {
  const { rt, cache } = ctx;
  let bumps = 0;
  let next = 0;
  const bump = () => {
    bumps++;
    void cache.put("v:catalog", randomUUID()).catch((e: unknown) => console.error("bump failed", e));
  };
  const spec = () => ({ kind: "uncached" as const, procedure, inputs, start: next, ipBase: 1 });
  // The warm-up and the measured run send different inputs: each continues where the last stopped.
  if (WARMUP > 0)
    next = Number(
      (await runChild({ ...spec(), url: rt.url, connections: CONNECTIONS, seconds: WARMUP, ipPool: IP_POOL, name: `${id} warm-up` }, bump))
        .extra.next,
    );
  const s = await measure(rt, id, title, spec(), { onBump: bump, warmup: false });
  const trips = s.result.d1RoundTrips;
  const misses = Object.entries(trips)
    .filter(([k]) => k !== "0" && k !== "none")
    .reduce((n, [, v]) => n + v, 0);
  s.notes = [
    `${((100 * misses) / Math.max(1, s.result.requests)).toFixed(1)}% of responses were cache misses (1 D1 round trip); ${inputs.length} ${what}, each sent at most once${bumps ? `; cycle wrapped, version bumped ${bumps} times` : ""}`,
  ];
}

export const uncachedSearch: BenchScenario = {
  id: "12",
  run: (ctx) =>
    uncached(ctx, "12", "catalog.list search, cache bypassed (FTS5)", "catalog.list", ctx.uncachedSearches, "bench-only searches"),
};

export const uncachedGet: BenchScenario = {
  id: "4",
  run: (ctx) => uncached(ctx, "4", "catalog.get, cache bypassed (D1 point read)", "catalog.get", ctx.uncachedSlugs, "bench-only slugs"),
};
