// Scenario 10: the peer, scenario 3's read hand-written in plain Hono (bench/floor-worker.ts).
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";

export const peer: BenchScenario = {
  id: "10",
  run: async ({ rt, hot }) => {
    await measure(rt, "10", "peer: plain Hono GET /peer/product (cached)", fixed([get(`/peer/product?slug=${hot.slug}`)], 1));
  },
};
