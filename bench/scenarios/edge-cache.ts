// Scenario 13: the edge-cache hit path (`catalog.get` answered from the Cache API before tRPC runs).
import { pool } from "../calls.ts";
import { EXTRA_PRODUCTS, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";
import { getPath } from "../setup.ts";

export const edgeCache: BenchScenario = {
  id: "13",
  run: async ({ rt, uncachedSlugs }) => {
    // More keys than the response tier keeps in memory (500), walked by all connections through
    // one shared counter: nearly every request misses the isolate's memory and is answered from
    // the data centre's Cache API, before tRPC runs. Stored by one pass over them first.
    const edgeSlugs = uncachedSlugs.slice(-Math.min(2000, Math.floor(EXTRA_PRODUCTS / 2)));
    await pool(edgeSlugs, 8, async (p) => {
      const r = await fetch(`${rt.url}${getPath(p.slug)}`, { headers: { "cf-connecting-ip": "10.252.0.1" } });
      await r.text();
    });
    const s = await measure(rt, "13", "catalog.get, edge-cache hit (Cache API)", {
      kind: "uncached",
      procedure: "catalog.get",
      inputs: edgeSlugs,
      start: 0,
      repeat: true,
      ipBase: 1,
    });
    s.notes = [`response tier answers (Server-Timing edge): ${JSON.stringify(s.result.extra.edge)}; ${edgeSlugs.length} keys`];
  },
};
