// D1 round trips per procedure on the hot path (after a warm-up call), read from the
// Server-Timing header that the instrumented D1 binding fills. Regressions fail here.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createClient, type StorefrontClient } from "@storefront/client";
import { STRONG_PASSWORD, uniqueEmail, uniqueIp } from "./helpers/client";
import { ADDRESS, createDiscount, createProduct, newKey, signedUpAdmin } from "./helpers/shop";

function countingClient(ip = uniqueIp()) {
  const seen: number[] = [];
  let token: string | undefined;
  const client = createClient({
    url: "http://storefront.test/trpc",
    headers: { "cf-connecting-ip": ip },
    getAccessToken: () => token,
    fetch: async (input, init) => {
      const response = await SELF.fetch(input instanceof Request ? input : new Request(input, init));
      const match = /(\d+) D1 round trips/.exec(response.headers.get("server-timing") ?? "");
      seen.push(match ? Number(match[1]) : NaN);
      return response;
    },
  });
  return { client, setToken: (t: string) => (token = t), last: () => seen[seen.length - 1] };
}

describe("D1 round trips per call", async () => {
  const product = await createProduct({ stock: 1000 });
  const discount = await createDiscount({ kind: "fixed", value: 100 });
  const { client, setToken, last } = countingClient();
  const email = uniqueEmail();
  const counted = async (call: () => Promise<unknown>) => {
    await call();
    return last();
  };

  // [procedure, at most, the call]; reads at most 1, writes at most 3.
  const CASES: [string, number, (c: StorefrontClient) => Promise<unknown>][] = [
    [
      "auth.signup",
      1,
      (c) => c.auth.signup.mutate({ email, password: STRONG_PASSWORD, name: "Counted" }).then((t) => setToken(t.accessToken)),
    ],
    ["auth.me", 0, (c) => c.auth.me.query()],
    ["catalog.categories", 0, (c) => c.catalog.categories.query()],
    ["catalog.list", 0, (c) => c.catalog.list.query({})],
    ["catalog.get", 0, (c) => c.catalog.get.query({ slug: product.slug })],
    ["catalog.recommendations", 0, (c) => c.catalog.recommendations.query({ productId: product.id })],
    ["reviews.list", 0, (c) => c.reviews.list.query({ productId: product.id })],
    ["cart.get", 1, (c) => c.cart.get.query()],
    ["cart.addItem", 1, (c) => c.cart.addItem.mutate({ productId: product.id, quantity: 1 })],
    ["cart.updateItem", 1, (c) => c.cart.updateItem.mutate({ productId: product.id, quantity: 2 })],
    ["cart.applyDiscount", 2, (c) => c.cart.applyDiscount.mutate({ code: discount.code })],
    ["cart.removeDiscount", 1, (c) => c.cart.removeDiscount.mutate()],
    [
      "checkout.placeOrder",
      3,
      (c) => c.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
    ],
    ["orders.list", 1, (c) => c.orders.list.query()],
    ["reviews.create", 1, (c) => c.reviews.create.mutate({ productId: product.id, rating: 5, body: "Counted" })],
    ["auth.login", 2, (c) => c.auth.login.mutate({ email, password: STRONG_PASSWORD })],
  ];

  for (const [name, max, call] of CASES) {
    it(`${name}: at most ${max}`, async () => {
      // A warm-up call fills the per-isolate session check and the KV cache, as on a hot path.
      if (name.startsWith("catalog.") || name === "reviews.list" || name === "auth.me" || name === "cart.get") await call(client);
      expect(await counted(() => call(client))).toBeLessThanOrEqual(max);
    });
  }

  it("orders.get and orders.cancel: at most 1 and 2", async () => {
    await client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    const order = await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    expect(await counted(() => client.orders.get.query({ id: order.id }))).toBeLessThanOrEqual(1);
    expect(await counted(() => client.orders.cancel.mutate({ id: order.id }))).toBeLessThanOrEqual(2);
  });

  it("admin writes: at most 2", async () => {
    const admin = await signedUpAdmin();
    const counting = countingClient();
    counting.setToken(admin.session.tokens!.accessToken);
    await counting.client.admin.orders.list.query(); // warms the session check
    await counting.client.admin.orders.list.query();
    expect(counting.last()).toBeLessThanOrEqual(1);
    await counting.client.admin.products.setStock.mutate({ productId: product.id, stock: 500 });
    expect(counting.last()).toBeLessThanOrEqual(2);
  });

  it("the back office's reads and sales aggregates: one each", async () => {
    const admin = await signedUpAdmin();
    const counting = countingClient();
    counting.setToken(admin.session.tokens!.accessToken);
    await counting.client.admin.sales.summary.query(); // warms the session check
    const reads: [string, () => Promise<unknown>][] = [
      ["admin.sales.daily", () => counting.client.admin.sales.daily.query()],
      ["admin.sales.summary", () => counting.client.admin.sales.summary.query()],
      ["admin.sales.topProducts", () => counting.client.admin.sales.topProducts.query()],
      ["admin.sales.discountUsage", () => counting.client.admin.sales.discountUsage.query()],
      ["admin.orders.list", () => counting.client.admin.orders.list.query({ search: "someone@" })],
      ["admin.orders.get", () => counting.client.admin.orders.get.query({ id: "no-such-order" }).catch(() => null)],
      ["admin.products.list", () => counting.client.admin.products.list.query({ q: "x" })],
      ["admin.users.find", () => counting.client.admin.users.find.query({ email: "someone@" })],
    ];
    for (const [name, call] of reads) {
      await call();
      expect([name, counting.last()]).toEqual([name, 1]);
    }
  });
});
