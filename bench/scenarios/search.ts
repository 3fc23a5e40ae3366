// Scenario 11: a `catalog.list` search ("kettle", ranked by relevance), cached.
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";
import { searchPath } from "../setup.ts";

export const search: BenchScenario = {
  id: "11",
  run: async ({ rt }) => {
    await measure(rt, "11", "catalog.list search (cached)", fixed([get(searchPath)], 1));
  },
};
