// Scenario 1, the floor (`GET /__floor`, the storefront's own route before any middleware), and
// 1b, the same at the end of the run: together they are the run-wide floor and its drift check.
import { FLOOR_PATH, fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";

export const floor: BenchScenario = {
  id: "1",
  run: async ({ rt }) => {
    await measure(rt, "1", "floor: GET /__floor (before any middleware)", fixed([get(FLOOR_PATH)], 1), { pairFloor: false });
  },
};

export const driftCheck: BenchScenario = {
  id: "1",
  run: async ({ rt }) => {
    await measure(rt, "1b", "floor again, at the end (drift check)", fixed([get(FLOOR_PATH)], 1), { pairFloor: false });
  },
};
