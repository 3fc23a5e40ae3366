// Scenario 2: `GET /healthz`, the whole middleware chain and a constant answer.
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";

export const chain: BenchScenario = {
  id: "2",
  run: async ({ rt }) => {
    await measure(rt, "2", "GET /healthz (whole middleware chain)", fixed([get("/healthz")], 1));
  },
};
