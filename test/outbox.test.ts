// The outbox: a cancellation commits its refund request and events with the order change
// (outbox rows), the queue consumer refunds with retries and backoff, notifications are recorded
// once, and the dead-letter queue marks what never got through.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { QUEUE_MAX_RETRIES, retryDelaySeconds, type OutboxMessage } from "../domain/outbox";
import { consumeOutbox } from "../services/outbox-consumer";
import worker from "../worker/index";
import { signedUpUser } from "./helpers/client";
import { callerFor, consumerDeps, recordingQueue, scriptedRefunds } from "./helpers/callers";
import { ADDRESS, createProduct, newKey, signedUpAdmin, stockOf } from "./helpers/shop";

const row = <T>(sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .first<T>();
const paymentStatus = async (orderId: string) =>
  (await row<{ status: string }>("select status from payments where order_id = ?1", orderId))?.status;
const outboxRows = async (orderId: string) =>
  (
    await env.DB.prepare("select id, kind, status, attempts, last_error as lastError from outbox where order_id = ?1 order by kind")
      .bind(orderId)
      .all<{ id: string; kind: string; status: string; attempts: number; lastError: string | null }>()
  ).results;

/** A paid order placed and cancelled through callers whose queue only records. */
async function cancelledOrder() {
  const product = await createProduct({ stock: 10, priceCents: 2000 });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
  const queue = recordingQueue();
  const caller = await callerFor(shopper.session.tokens!.accessToken, { outbox: queue });
  const order = await caller.checkout.placeOrder({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
  const cancelled = await caller.orders.cancel({ id: order.id });
  const refund = (await outboxRows(order.id)).find((r) => r.kind === "refund");
  if (!refund) throw new Error("no refund row");
  return { shopper, product, order, cancelled, queue, refundId: refund.id };
}

const batchOf = (id: string, attempts = 1, queue = "storefront-outbox") =>
  createMessageBatch<OutboxMessage>(queue, [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body: { id } }]);

/**
 * Delivers one message to the consumer. getQueueResult reports acks and retries but drops a
 * retry's delay, so the message is wrapped to keep the delays the consumer asked for.
 */
async function deliver(id: string, provider: Parameters<typeof consumeOutbox>[1]["payments"], attempts = 1) {
  const batch = batchOf(id, attempts);
  const delays: (number | undefined)[] = [];
  const [message] = batch.messages;
  if (!message) throw new Error("empty batch");
  const recording: Message<OutboxMessage> = {
    id: message.id,
    timestamp: message.timestamp,
    attempts: message.attempts,
    body: message.body,
    ack: () => message.ack(),
    retry: (options) => {
      delays.push(options?.delaySeconds);
      message.retry(options);
    },
  };
  const wrapped: MessageBatch<OutboxMessage> = { ...batch, queue: batch.queue, messages: [recording] };
  await consumeOutbox(wrapped, consumerDeps(provider));
  return { ...(await getQueueResult(batch, createExecutionContext())), delays };
}

describe("cancelling an order", () => {
  it("commits the cancellation, the refund request and the event together, then enqueues them", async () => {
    const { order, cancelled, queue, product } = await cancelledOrder();
    expect(cancelled).toMatchObject({ status: "cancelled", payment: { status: "refund_pending" } });
    expect(await paymentStatus(order.id)).toBe("refund_pending");
    expect(await stockOf(product.id)).toBe(10);
    const rows = await outboxRows(order.id);
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ["order.cancelled", "pending"],
      ["order.paid", "pending"],
      ["refund", "pending"],
    ]);
    expect(queue.sent.map((m) => m.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it("still cancels when the queue refuses the message: the row stays pending for the cron", async () => {
    const product = await createProduct({ stock: 3 });
    const shopper = await signedUpUser();
    await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    const order = await shopper.client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: ADDRESS,
      paymentToken: "tok_visa",
    });
    const broken = { send: () => Promise.reject(new Error("queue unavailable")) };
    const caller = await callerFor(shopper.session.tokens!.accessToken, { outbox: broken });
    expect((await caller.orders.cancel({ id: order.id })).status).toBe("cancelled");
    expect((await outboxRows(order.id)).find((r) => r.kind === "refund")?.status).toBe("pending");
  });

  it("refunds through the real queue and its consumer, and records the notifications", async () => {
    const product = await createProduct({ stock: 3 });
    const { client } = await signedUpUser();
    await client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    const order = await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    await client.orders.cancel.mutate({ id: order.id });
    await vi.waitFor(async () => expect(await paymentStatus(order.id)).toBe("refunded"), { timeout: 15_000, interval: 200 });
    await vi.waitFor(
      async () => {
        const kinds = await env.DB.prepare("select kind from notifications where order_id = ?1 order by kind").bind(order.id).all();
        expect(kinds.results.map((r) => r.kind)).toEqual(["order.cancelled", "order.paid"]);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect((await client.orders.get.query({ id: order.id })).payment).toEqual({ status: "refunded" });
  });
});

describe("the refund consumer", () => {
  it("refunds with the order's key and amount; the payment is refunded and the row done", async () => {
    const { order, refundId } = await cancelledOrder();
    const { provider, calls } = scriptedRefunds([{ outcome: "refunded", refundRef: "re_1" }]);
    const result = await deliver(refundId, provider);
    expect(result.explicitAcks).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.providerRef).toMatch(/^pi_test_/);
    expect(calls[0]).toMatchObject({ amountCents: order.totalCents, idempotencyKey: `refund_${order.id}` });
    expect(await paymentStatus(order.id)).toBe("refunded");
    expect((await outboxRows(order.id)).find((r) => r.id === refundId)?.status).toBe("done");
  });

  it("retries a provider outage with growing delays, then gives up as refund_failed, which admins see", async () => {
    const { order, refundId } = await cancelledOrder();
    const outage = { outcome: "error", reason: "503 from provider" } as const;
    const { provider, calls } = scriptedRefunds(Array.from({ length: QUEUE_MAX_RETRIES + 1 }, () => outage));
    for (let attempts = 1; attempts <= QUEUE_MAX_RETRIES; attempts++) {
      const result = await deliver(refundId, provider, attempts);
      expect(result.retryMessages).toHaveLength(1);
      expect(result.delays).toEqual([retryDelaySeconds(attempts)]);
      expect(await paymentStatus(order.id)).toBe("refund_pending");
    }
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([`refund_${order.id}`]));
    expect((await outboxRows(order.id)).find((r) => r.id === refundId)).toMatchObject({
      status: "processing",
      attempts: QUEUE_MAX_RETRIES,
      lastError: "503 from provider",
    });
    const last = await deliver(refundId, provider, QUEUE_MAX_RETRIES + 1);
    expect(last.explicitAcks).toHaveLength(1);
    expect(last.retryMessages).toEqual([]);
    expect(await paymentStatus(order.id)).toBe("refund_failed");
    expect((await outboxRows(order.id)).find((r) => r.id === refundId)?.status).toBe("failed");
    const admin = await signedUpAdmin();
    const failed = await admin.client.admin.orders.list.query({ paymentStatus: "refund_failed", limit: 100 });
    expect(failed.items.find((o) => o.id === order.id)?.payment).toEqual({ status: "refund_failed" });
  });

  it("marks refund_failed at once when the provider refuses for good", async () => {
    const { order, refundId } = await cancelledOrder();
    const { provider } = scriptedRefunds([{ outcome: "failed", reason: "charge already disputed" }]);
    expect((await deliver(refundId, provider)).explicitAcks).toHaveLength(1);
    expect(await paymentStatus(order.id)).toBe("refund_failed");
    expect((await outboxRows(order.id)).find((r) => r.id === refundId)).toMatchObject({
      status: "failed",
      lastError: "charge already disputed",
    });
  });

  it("treats a provider that throws as an outage and retries", async () => {
    const { order, refundId } = await cancelledOrder();
    const { provider } = scriptedRefunds([]);
    const result = await deliver(refundId, provider);
    expect(result.retryMessages).toHaveLength(1);
    expect(await paymentStatus(order.id)).toBe("refund_pending");
  });

  it("refunds once when the same message is delivered twice", async () => {
    const { order, refundId } = await cancelledOrder();
    const { provider, calls } = scriptedRefunds([{ outcome: "refunded", refundRef: "re_1" }]);
    await deliver(refundId, provider);
    const again = await deliver(refundId, provider, 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(await paymentStatus(order.id)).toBe("refunded");
  });

  it("leaves the payment refund_pending when the provider accepts the refund for later confirmation", async () => {
    const { order, refundId } = await cancelledOrder();
    const { provider } = scriptedRefunds([{ outcome: "pending", refundRef: "re_later" }]);
    expect((await deliver(refundId, provider)).explicitAcks).toHaveLength(1);
    expect(await paymentStatus(order.id)).toBe("refund_pending");
    expect((await outboxRows(order.id)).find((r) => r.id === refundId)?.status).toBe("done");
  });
});

describe("notifications", () => {
  it("records paid and cancelled once each, even when a message is delivered twice", async () => {
    const { order, shopper } = await cancelledOrder();
    const { provider } = scriptedRefunds([]);
    const events = (await outboxRows(order.id)).filter((r) => r.kind !== "refund");
    for (const e of events) {
      await deliver(e.id, provider);
      await deliver(e.id, provider, 2);
    }
    const sent = await env.DB.prepare("select kind, user_id as userId from notifications where order_id = ?1 order by kind")
      .bind(order.id)
      .all();
    expect(sent.results).toEqual([
      { kind: "order.cancelled", userId: shopper.user.id },
      { kind: "order.paid", userId: shopper.user.id },
    ]);
  });

  it("records order.shipped when an admin ships", async () => {
    const product = await createProduct({ stock: 3 });
    const { client } = await signedUpUser();
    await client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    const order = await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    const admin = await signedUpAdmin();
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    await vi.waitFor(
      async () =>
        expect(
          await row<{ n: number }>("select count(*) as n from notifications where order_id = ?1 and kind = 'order.shipped'", order.id),
        ).toEqual({
          n: 1,
        }),
      { timeout: 15_000, interval: 200 },
    );
  });
});

describe("the dead-letter queue", () => {
  it("marks a dead-lettered refund failed and its payment refund_failed", async () => {
    const { order, refundId } = await cancelledOrder();
    const batch = batchOf(refundId, 1, "storefront-outbox-dlq");
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await paymentStatus(order.id)).toBe("refund_failed");
    expect((await outboxRows(order.id)).find((r) => r.id === refundId)).toMatchObject({ status: "failed", lastError: "dead-lettered" });
  });

  it("leaves a refund that was already done alone", async () => {
    const { order, refundId } = await cancelledOrder();
    const { provider } = scriptedRefunds([{ outcome: "refunded", refundRef: "re_1" }]);
    await deliver(refundId, provider);
    await worker.queue(batchOf(refundId, 1, "storefront-outbox-dlq"), env);
    expect(await paymentStatus(order.id)).toBe("refunded");
    expect((await outboxRows(order.id)).find((r) => r.id === refundId)?.status).toBe("done");
  });
});
