// Scenario 10: the peer, scenario 3's read hand-written in plain Hono (worker/bench-peer.ts), in
// the same Worker and isolate as the typed read (only the bench's build has the route).
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";

export const peer: BenchScenario = {
  id: "10",
  run: async ({ rt, hot }) => {
    await measure(
      rt,
      "10",
      "peer: plain Hono GET /__peer/product (cached, same Worker)",
      fixed([get(`/__peer/product?slug=${hot.slug}`)], 1),
    );
  },
};
