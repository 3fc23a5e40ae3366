import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { transition } from "../db/order-transitions";
import { findOrderWithLines } from "../db/orders";
import { errorCode, refusalOf as reasonOf, signedUpUser } from "./helpers/client";
import { ADDRESS, createProduct, newKey, signedUpAdmin, stockOf } from "./helpers/shop";

async function paidOrder(quantity = 2) {
  const product = await createProduct({ stock: 10, priceCents: 1500 });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity });
  const order = await shopper.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_visa",
  });
  return { ...shopper, product, order };
}

describe("orders", () => {
  it("lists only the customer's own orders, newest first, by keyset pages", async () => {
    const first = await paidOrder(1);
    await first.client.cart.addItem.mutate({ productId: first.product.id, quantity: 1 });
    const second = await first.client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: ADDRESS,
      paymentToken: "tok_visa",
    });
    await paidOrder(1); // someone else's
    const page1 = await first.client.orders.list.query({ limit: 1 });
    expect(page1.items.map((o) => o.id)).toEqual([second.id]);
    const page2 = await first.client.orders.list.query({ limit: 1, cursor: page1.nextCursor! });
    expect(page2.items.map((o) => o.id)).toEqual([first.order.id]);
    expect(page2.nextCursor).toBeNull();
  });

  it("hides another customer's order as NOT_FOUND, but shows it to an admin", async () => {
    const { order } = await paidOrder();
    const other = await signedUpUser();
    expect(await errorCode(other.client.orders.get.query({ id: order.id }))).toBe("NOT_FOUND");
    expect(await errorCode(other.client.orders.cancel.mutate({ id: order.id }))).toBe("NOT_FOUND");
    const admin = await signedUpAdmin();
    expect((await admin.client.orders.get.query({ id: order.id })).id).toBe(order.id);
  });

  it("cancels a paid order: restocks it and refunds the payment", async () => {
    const { client, order, product } = await paidOrder(3);
    expect(await stockOf(product.id)).toBe(7);
    const cancelled = await client.orders.cancel.mutate({ id: order.id });
    expect(cancelled.status).toBe("cancelled");
    expect(await stockOf(product.id)).toBe(10);
    expect(cancelled.payment).toEqual({ status: "refund_pending" });
    // The refund goes through the outbox queue; its consumer confirms it with the provider.
    await vi.waitFor(
      async () => {
        const payment = await env.DB.prepare("select status from payments where order_id = ?1").bind(order.id).first<{ status: string }>();
        expect(payment?.status).toBe("refunded");
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(await reasonOf(client.orders.cancel.mutate({ id: order.id }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "invalid_transition",
    });
    expect(await stockOf(product.id)).toBe(10);
  });

  it("restocks once when two cancellations race", async () => {
    const { client, order, product } = await paidOrder(2);
    const results = await Promise.allSettled([
      client.orders.cancel.mutate({ id: order.id }),
      client.orders.cancel.mutate({ id: order.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await stockOf(product.id)).toBe(10);
  });

  it("restocks and asks for one refund when two cancellations land in the same millisecond", async () => {
    const { order, product } = await paidOrder(2);
    // Both requests read the order while it was paid, and stamp their change with the same time.
    const read = await findOrderWithLines(createDb(env.DB, newMetrics()), order.id);
    if (!read) throw new Error("order not found");
    const stamp = Date.now();
    const db = createDb(env.DB, newMetrics());
    const first = await transition(db, read, "cancelled", stamp);
    const second = await transition(db, read, "cancelled", stamp);
    expect([first.outcome, second.outcome]).toEqual(["moved", "order_changed"]);
    expect(await stockOf(product.id)).toBe(10);
    const owed = await env.DB.prepare("select kind, count(*) as n from outbox where order_id = ?1 group by kind order by kind")
      .bind(order.id)
      .all();
    expect(owed.results).toEqual([
      { kind: "order.cancelled", n: 1 },
      { kind: "order.paid", n: 1 },
      { kind: "refund", n: 1 },
    ]);
  });

  it("refuses to cancel a shipped order", async () => {
    const { client, order } = await paidOrder();
    const admin = await signedUpAdmin();
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    expect(await reasonOf(client.orders.cancel.mutate({ id: order.id }))).toMatchObject({ code: "PRECONDITION_FAILED" });
  });
});

describe("admin.orders", () => {
  it("ships and delivers, enforcing the state machine", async () => {
    const { order, client } = await paidOrder();
    const admin = await signedUpAdmin();
    expect(await reasonOf(admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" }))).toMatchObject({
      reason: "invalid_transition",
    });
    expect((await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" })).status).toBe("shipped");
    expect((await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" })).status).toBe("delivered");
    expect(await reasonOf(admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "paid" }))).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect((await client.orders.get.query({ id: order.id })).status).toBe("delivered");
    const listed = await admin.client.admin.orders.list.query({ status: "delivered", limit: 100 });
    expect(listed.items.map((o) => o.id)).toContain(order.id);
  });
});

describe("reviews", () => {
  it("creates one review per user and product, verified after a purchase, and lists newest first", async () => {
    const { client, product } = await paidOrder(1);
    const review = await client.reviews.create.mutate({ productId: product.id, rating: 4, body: "Lovely <b>thing</b> 'quoted'" });
    expect(review).toMatchObject({ rating: 4, verifiedPurchase: true, body: "Lovely <b>thing</b> 'quoted'" });
    expect(await errorCode(client.reviews.create.mutate({ productId: product.id, rating: 5, body: "Again" }))).toBe("CONFLICT");
    const stranger = await signedUpUser();
    const unverified = await stranger.client.reviews.create.mutate({ productId: product.id, rating: 1, body: "Never bought it" });
    expect(unverified.verifiedPurchase).toBe(false);
    const list = await stranger.client.reviews.list.query({ productId: product.id });
    expect(list.items.map((r) => r.id)).toEqual([unverified.id, review.id]);
    const view = await stranger.client.catalog.get.query({ slug: product.slug });
    expect(view.rating).toEqual({ average: 2.5, count: 2 });
  });

  it("shows a new review in a product's list that was already cached, and pages through the rest", async () => {
    const product = await createProduct();
    const reader = await signedUpUser();
    expect((await reader.client.reviews.list.query({ productId: product.id })).items).toEqual([]);
    const authors = [await signedUpUser(), await signedUpUser(), await signedUpUser()];
    const written = [];
    for (const [i, author] of authors.entries()) {
      written.push(await author.client.reviews.create.mutate({ productId: product.id, rating: i + 3, body: `Review ${i}` }));
    }
    // Newest first; reviews written in the same millisecond are ordered by id.
    const newestFirst = [...written].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const first = await reader.client.reviews.list.query({ productId: product.id, limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual([newestFirst[0]?.id, newestFirst[1]?.id]);
    expect(first.items[0]?.createdAt).toBeInstanceOf(Date);
    const second = await reader.client.reviews.list.query({ productId: product.id, limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second).toEqual({
      items: [expect.objectContaining({ id: newestFirst[2]?.id, authorName: newestFirst[2]?.authorName })],
      nextCursor: null,
    });
  });

  it("refuses a rating outside 1..5, an unknown product and an anonymous author", async () => {
    const { client } = await signedUpUser();
    const product = await createProduct();
    expect(await errorCode(client.reviews.create.mutate({ productId: product.id, rating: 6, body: "x" }))).toBe("BAD_REQUEST");
    expect(await errorCode(client.reviews.create.mutate({ productId: "nope", rating: 3, body: "x" }))).toBe("NOT_FOUND");
    const { testClient } = await import("./helpers/client");
    expect(await errorCode(testClient().client.reviews.create.mutate({ productId: product.id, rating: 3, body: "x" }))).toBe(
      "UNAUTHORIZED",
    );
  });
});

describe("admin.discounts and admin.users", () => {
  it("creates, lists and disables discounts; refuses a duplicate code and a percentage over 100", async () => {
    const admin = await signedUpAdmin();
    const code = `ADM${crypto.randomUUID().slice(0, 6)}`;
    const created = await admin.client.admin.discounts.create.mutate({ code, kind: "percent", value: 15, onePerCustomer: true });
    expect(created).toMatchObject({ code: code.toUpperCase(), active: true, redemptions: 0 });
    expect(await errorCode(admin.client.admin.discounts.create.mutate({ code, kind: "fixed", value: 100 }))).toBe("CONFLICT");
    expect(await errorCode(admin.client.admin.discounts.create.mutate({ code: "BIGPCT", kind: "percent", value: 150 }))).toBe(
      "BAD_REQUEST",
    );
    expect((await admin.client.admin.discounts.list.query({ limit: 100 })).items.map((d) => d.id)).toContain(created.id);
    expect((await admin.client.admin.discounts.disable.mutate({ id: created.id })).active).toBe(false);
  });

  it("changes a user's role, which takes effect on their next call", async () => {
    const admin = await signedUpAdmin();
    const customer = await signedUpUser();
    expect(await errorCode(customer.client.admin.orders.list.query())).toBe("FORBIDDEN");
    await admin.client.admin.users.setRole.mutate({ userId: customer.user.id, role: "admin" });
    expect((await customer.client.admin.orders.list.query()).items).toBeDefined();
    expect(await errorCode(admin.client.admin.users.setRole.mutate({ userId: admin.user.id, role: "customer" }))).toBe(
      "PRECONDITION_FAILED",
    );
  });
});
