// Scenario 14: read-after-write, scenario 6's `cart.get` with the write's D1 bookmark.
import { fixed, get, measure } from "../harness.ts";
import type { BenchScenario } from "../scenario.ts";

export const bookmark: BenchScenario = {
  id: "14",
  run: async ({ rt, alice, a }) => {
    // What @storefront/client sends after a write: the write's bookmark, on the next read.
    const write = await fetch(`${rt.url}/trpc/cart.addItem`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice.accessToken}`, "cf-connecting-ip": "10.253.0.1" },
      body: JSON.stringify({ json: { productId: a.id, quantity: 1 } }),
    });
    await write.text();
    const mark = write.headers.get("x-d1-bookmark");
    if (!mark) throw new Error("bench: a write answered without x-d1-bookmark");
    const s = await measure(
      rt,
      "14",
      "cart.get with the write's x-d1-bookmark",
      fixed([get("/trpc/cart.get", { authorization: `Bearer ${alice.accessToken}`, "x-d1-bookmark": mark })], 1),
    );
    s.notes = [`bookmark sent: ${mark}; compare D1 round trips with scenario 6 (the same read without one)`];
  },
};
