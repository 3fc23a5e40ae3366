// Scenario 6: `cart.get` signed in (JWT verification and one D1 batch).
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";

export const cart: BenchScenario = {
  id: "6",
  run: async ({ rt, alice }) => {
    await measure(
      rt,
      "6",
      "cart.get signed in (JWT verify + D1)",
      fixed([get("/trpc/cart.get", { authorization: `Bearer ${alice.accessToken}` })], 1),
    );
  },
};
