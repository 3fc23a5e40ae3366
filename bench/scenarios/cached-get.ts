// Scenario 3: `catalog.get` of one hot slug, answered from the response tier's memory.
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";
import { getPath } from "../setup.ts";

export const cachedGet: BenchScenario = {
  id: "3",
  run: async ({ rt, hot }) => {
    await measure(rt, "3", "catalog.get, served from cache", fixed([get(getPath(hot.slug))], 1));
  },
};
