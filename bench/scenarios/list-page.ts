// Scenario 5: `catalog.list`'s first page (newest, 20 items), cached.
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";
import { listPath } from "../setup.ts";

export const listPage: BenchScenario = {
  id: "5",
  run: async ({ rt }) => {
    await measure(rt, "5", "catalog.list first page (cached)", fixed([get(listPath)], 1));
  },
};
