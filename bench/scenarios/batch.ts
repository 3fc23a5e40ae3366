// Scenario 7: a product page's ten queries as one batched request (7a) and as ten requests (7b).
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";
import { batchPath, single, tenQueries } from "../setup.ts";

export const batch: BenchScenario = {
  id: "7",
  run: async (ctx) => {
    const ten = tenQueries(ctx);
    await measure(ctx.rt, "7a", "ten queries in one batched request", fixed([get(batchPath(ten))], 1), { perUnit: 1 });
    await measure(
      ctx.rt,
      "7b",
      "the same ten as separate requests",
      fixed(
        ten.map(([p, input]) => get(single(p, input))),
        1,
      ),
      { perUnit: 10 },
    );
  },
};
