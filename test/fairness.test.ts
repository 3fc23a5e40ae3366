// Fairness: a cancelled order gives back its discount redemption, "verified purchase" counts
// only purchases that still stand, and an idempotency key reused for a different request is refused.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentProvider } from "../domain/payments";
import { markPaymentDisputed, markPaymentRefunded } from "../services/payment-state";
import { refusalOf, signedUpUser, testClient } from "./helpers/client";
import { callerFor, recordingQueue, testDb } from "./helpers/callers";
import { ADDRESS, createDiscount, createProduct, newKey, signedUpAdmin } from "./helpers/shop";

type Shopper = Awaited<ReturnType<typeof signedUpUser>>;
const anonymous = testClient().client;

const count = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n;

async function buy(shopper: Awaited<ReturnType<typeof signedUpUser>>, productId: string, code?: string) {
  await shopper.client.cart.addItem.mutate({ productId, quantity: 1 });
  if (code) await shopper.client.cart.applyDiscount.mutate({ code });
  return shopper.client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
}

describe("a cancelled order gives back its discount", () => {
  it("so a one-use, one-per-customer code can be used again, by the same customer or another", async () => {
    const product = await createProduct({ stock: 10, priceCents: 5000 });
    const discount = await createDiscount({ kind: "fixed", value: 1000, maxRedemptions: 1, onePerCustomer: true });
    const first = await signedUpUser();
    const order = await buy(first, product.id, discount.code);
    expect(order.discountCents).toBe(1000);
    const other = await signedUpUser();
    await other.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    expect(await refusalOf(other.client.cart.applyDiscount.mutate({ code: discount.code }))).toMatchObject({ reason: "used_up" });

    await first.client.orders.cancel.mutate({ id: order.id });
    expect(await count("select redemptions as n from discounts where id = ?1", discount.id)).toBe(0);
    expect(await count("select count(*) as n from discount_redemptions where order_id = ?1", order.id)).toBe(0);

    const again = await buy(first, product.id, discount.code);
    expect(again.discountCents).toBe(1000);
    await first.client.orders.cancel.mutate({ id: again.id });
    expect((await buy(other, product.id, discount.code)).discountCents).toBe(1000);
    expect(await count("select redemptions as n from discounts where id = ?1", discount.id)).toBe(1);
  });
});

describe("verified purchase", () => {
  async function boughtAndThen(change: (orderId: string) => Promise<unknown>) {
    const product = await createProduct();
    const shopper = await signedUpUser();
    const order = await buy(shopper, product.id);
    await change(order.id);
    return shopper.client.reviews.create.mutate({ productId: product.id, rating: 4, body: "Review" });
  }
  const deps = { db: testDb(), now: Date.now };
  const verifiedOnList = async (productId: string) =>
    (await anonymous.reviews.list.query({ productId })).items.map((r) => r.verifiedPurchase);

  it("holds for a purchase that stands, shipped included", async () => {
    const admin = await signedUpAdmin();
    const review = await boughtAndThen((id) => admin.client.admin.orders.setStatus.mutate({ id, status: "shipped" }));
    expect(review.verifiedPurchase).toBe(true);
    expect(await verifiedOnList(review.productId)).toEqual([true]);
  });

  it.each<[string, (orderId: string) => Promise<unknown>]>([
    ["cancelled", (id) => env.DB.prepare("update orders set status = 'cancelled' where id = ?1").bind(id).run()],
    ["refunded by the provider while still paid", (id) => markPaymentRefunded(deps, id)],
    ["disputed", (id) => markPaymentDisputed(deps, id)],
    ["waiting on a refund", (id) => env.DB.prepare("update payments set status = 'refund_pending' where order_id = ?1").bind(id).run()],
  ])("does not hold for a purchase %s", async (_, change) => {
    expect((await boughtAndThen(change)).verifiedPurchase).toBe(false);
  });

  it("does not hold after the customer cancels through the API", async () => {
    const product = await createProduct();
    const shopper = await signedUpUser();
    const order = await buy(shopper, product.id);
    await shopper.client.orders.cancel.mutate({ id: order.id });
    expect((await shopper.client.reviews.create.mutate({ productId: product.id, rating: 2, body: "x" })).verifiedPurchase).toBe(false);
  });

  // Buy, review, then the purchase goes: the badge goes with it, on the list read afterwards.
  it.each<[string, (shopper: Shopper, admin: Shopper, orderId: string) => Promise<unknown>]>([
    ["the customer cancels", (shopper, _, id) => shopper.client.orders.cancel.mutate({ id })],
    ["an admin cancels", (_, admin, id) => admin.client.admin.orders.setStatus.mutate({ id, status: "cancelled" })],
  ])("is withdrawn from a review written before %s, the cached list included", async (_, cancel) => {
    const admin = await signedUpAdmin();
    const product = await createProduct();
    const shopper = await signedUpUser();
    const order = await buy(shopper, product.id);
    const review = await shopper.client.reviews.create.mutate({ productId: product.id, rating: 5, body: "Great" });
    expect(review.verifiedPurchase).toBe(true);
    // Read (and cached) while the purchase stands.
    expect(await verifiedOnList(product.id)).toEqual([true]);
    await cancel(shopper, admin, order.id);
    expect(await verifiedOnList(product.id)).toEqual([false]);
  });

  it.each<[string, (orderId: string) => Promise<unknown>]>([
    ["refunded by the provider", (id) => markPaymentRefunded(deps, id)],
    ["disputed", (id) => markPaymentDisputed(deps, id)],
    ["cancelled outside the API", (id) => env.DB.prepare("update orders set status = 'cancelled' where id = ?1").bind(id).run()],
  ])("is withdrawn from a review written before the purchase was %s", async (_, change) => {
    const product = await createProduct();
    const shopper = await signedUpUser();
    const order = await buy(shopper, product.id);
    expect((await shopper.client.reviews.create.mutate({ productId: product.id, rating: 5, body: "Great" })).verifiedPurchase).toBe(true);
    await change(order.id);
    expect(await verifiedOnList(product.id)).toEqual([false]);
  });

  it("stands while one of two purchases stands, and comes with a purchase made after the review", async () => {
    const product = await createProduct({ stock: 10 });
    const shopper = await signedUpUser();
    const other = await signedUpUser();
    expect((await other.client.reviews.create.mutate({ productId: product.id, rating: 3, body: "Before" })).verifiedPurchase).toBe(false);
    const first = await buy(shopper, product.id);
    await buy(shopper, product.id);
    await shopper.client.reviews.create.mutate({ productId: product.id, rating: 4, body: "Twice" });
    await shopper.client.orders.cancel.mutate({ id: first.id });
    await buy(other, product.id);
    // Newest first: the shopper's (one purchase still stands), then the other's (bought since).
    expect(await verifiedOnList(product.id)).toEqual([true, true]);
  });
});

describe("checkout idempotency keys", () => {
  async function setUp() {
    const product = await createProduct({ stock: 20, priceCents: 1200 });
    const shopper = await signedUpUser();
    let charges = 0;
    const counting: PaymentProvider = {
      name: "test",
      charge: async ({ idempotencyKey }) => {
        charges++;
        return { outcome: "succeeded", providerRef: `ch_${idempotencyKey}` };
      },
      lookup: async () => ({ outcome: "not_charged" }),
      refund: async () => ({ outcome: "refunded", refundRef: "re" }),
    };
    const caller = await callerFor(shopper.session.tokens!.accessToken, { payments: counting, outbox: recordingQueue() });
    await caller.cart.addItem({ productId: product.id, quantity: 2 });
    const input = { idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" };
    const order = await caller.checkout.placeOrder(input);
    return { product, shopper, caller, input, order, charges: () => charges };
  }
  const orders = (userId: string) => count("select count(*) as n from orders where user_id = ?1", userId);

  it("returns the same order for the identical retry, without charging again", async () => {
    const { caller, input, order, charges, shopper } = await setUp();
    expect(await caller.checkout.placeOrder(input)).toEqual(order);
    // The same cart again (the customer re-added what they bought): still the identical request.
    await caller.cart.addItem({ productId: order.lines[0]!.productId, quantity: 2 });
    expect((await caller.checkout.placeOrder(input)).id).toBe(order.id);
    expect(charges()).toBe(1);
    expect(await orders(shopper.user.id)).toBe(1);
  });

  it.each<[string, (s: Awaited<ReturnType<typeof setUp>>) => Promise<unknown>, (s: Awaited<ReturnType<typeof setUp>>) => object]>([
    ["a different cart", async (s) => s.caller.cart.addItem({ productId: (await createProduct()).id, quantity: 1 }), (s) => s.input],
    ["a different quantity", (s) => s.caller.cart.addItem({ productId: s.product.id, quantity: 3 }), (s) => s.input],
    [
      "a different total (the price changed)",
      async (s) => {
        await s.caller.cart.addItem({ productId: s.product.id, quantity: 2 });
        await env.DB.prepare("update product_variants set price_cents = 1300 where id = ?1").bind(s.product.id).run();
      },
      (s) => s.input,
    ],
    ["a different address", async () => {}, (s) => ({ ...s.input, shippingAddress: { ...ADDRESS, line1: "13 Analytical Row" } })],
  ])("refuses the key reused with %s: UNPROCESSABLE_CONTENT, idempotency_key_reused, nothing charged", async (_, change, inputOf) => {
    const s = await setUp();
    await change(s);
    const input = inputOf(s) as typeof s.input;
    await expect(s.caller.checkout.placeOrder(input)).rejects.toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
      cause: { reason: "idempotency_key_reused" },
    });
    expect(s.charges()).toBe(1);
    expect(await orders(s.shopper.user.id)).toBe(1);
  });

  it("answers the refusal over HTTP as 422 with the reason", async () => {
    const product = await createProduct();
    const shopper = await signedUpUser();
    const order = await buy(shopper, product.id);
    const key = (await env.DB.prepare("select key from idempotency_keys where order_id = ?1").bind(order.id).first<{ key: string }>())!.key;
    const refused = await refusalOf(
      shopper.client.checkout.placeOrder.mutate({
        idempotencyKey: key,
        shippingAddress: { ...ADDRESS, city: "Paris" },
        paymentToken: "tok_visa",
      }),
    );
    expect(refused).toMatchObject({ code: "UNPROCESSABLE_CONTENT", httpStatus: 422, reason: "idempotency_key_reused" });
  });
});
