// The reconciliation cron settles or releases stranded pending orders by what the
// provider knows, re-sends outbox rows never enqueued and cleans old idempotency keys; two runs at
// once, or a run racing the webhook for the same order, leave exactly one outcome.
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentLookup, PaymentProvider } from "../domain/payments";
import { reserve, type Reservation } from "../db/orders";
import { logger } from "../lib/log";
import { settlePendingOrder } from "../services/payment-state";
import { PENDING_GRACE_MS, reconcile } from "../services/reconcile";
import worker from "../worker/index";
import { signedUpUser } from "./helpers/client";
import { recordingQueue, testDb } from "./helpers/callers";
import { ADDRESS, createDiscount, createProduct, stockOf } from "./helpers/shop";

const first = <T>(sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .first<T>();
const count = async (sql: string, ...binds: unknown[]) => (await first<{ n: number }>(sql, ...binds))?.n;

/** A provider that knows what the test says about each order, and refuses to charge anything. */
function knowing(lookup: PaymentLookup | ((orderId: string) => PaymentLookup | Promise<PaymentLookup>)) {
  const lookups: string[] = [];
  let charges = 0;
  const provider: PaymentProvider = {
    name: "test",
    charge: async () => {
      charges++;
      return { outcome: "error", reason: "the cron never charges" };
    },
    lookup: async ({ orderId, idempotencyKey }) => {
      lookups.push(`${orderId}|${idempotencyKey}`);
      return typeof lookup === "function" ? lookup(orderId) : lookup;
    },
    refund: async () => ({ outcome: "error", reason: "not in these tests" }),
  };
  return { provider, lookups, charges: () => charges };
}

/**
 * A checkout that died between reserving and settling: the real reservation batch (stock, the
 * discount redemption, the key), then nothing. `ageMs` back-dates it.
 */
async function crashedCheckout(ageMs = PENDING_GRACE_MS + 60_000) {
  const product = await createProduct({ stock: 5, priceCents: 4000 });
  const discount = await createDiscount({ kind: "fixed", value: 500, maxRedemptions: 1, onePerCustomer: true });
  const { user, client } = await signedUpUser();
  const reservation: Reservation = {
    orderId: crypto.randomUUID(),
    userId: user.id,
    idempotencyKey: `key-${crypto.randomUUID()}`,
    currency: "USD",
    subtotalCents: 8000,
    discountCents: 500,
    shippingCents: 0,
    taxCents: 0,
    shippingTaxCents: 0,
    taxInclusive: false,
    shippingOptionId: null,
    totalCents: 7500,
    discount: { id: discount.id, code: discount.code, onePerCustomer: true },
    shippingAddress: ADDRESS,
    lines: [
      {
        productId: product.id,
        variantId: product.id,
        name: "Crashed",
        variantLabel: "",
        sku: product.slug,
        unitPriceCents: 4000,
        quantity: 2,
        taxCents: 0,
      },
    ],
    createdAt: Date.now() - ageMs,
    fingerprint: "0".repeat(64),
  };
  await reserve(testDb(), reservation);
  expect(await stockOf(product.id)).toBe(3);
  return { product, discount, user, client, orderId: reservation.orderId };
}

const run = (provider: PaymentProvider, queue = recordingQueue(), now = Date.now) =>
  reconcile({ db: testDb(), payments: provider, outbox: queue, log: logger, now });

async function stateOf(orderId: string, productId: string, discountId: string) {
  return {
    order: (await first<{ status: string }>("select status from orders where id = ?1", orderId))?.status,
    payments: (
      await env.DB.prepare("select status, provider_ref as ref from payments where order_id = ?1 order by created_at").bind(orderId).all()
    ).results,
    stock: await stockOf(productId),
    redemptions: await count("select redemptions as n from discounts where id = ?1", discountId),
    redemptionRows: await count("select count(*) as n from discount_redemptions where order_id = ?1", orderId),
    paidEvents: await count("select count(*) as n from outbox where order_id = ?1 and kind = 'order.paid'", orderId),
    refunds: await count("select count(*) as n from outbox where order_id = ?1 and kind = 'refund'", orderId),
  };
}

const RELEASED = {
  order: "cancelled",
  payments: [{ status: "failed", ref: null }],
  stock: 5,
  redemptions: 0,
  redemptionRows: 0,
  paidEvents: 0,
  refunds: 0,
};

describe("the reconciliation cron and a crashed checkout", () => {
  it("releases an order the provider never charged: stock and the discount come back, nothing is charged", async () => {
    const { product, discount, client, orderId } = await crashedCheckout();
    const { provider, lookups, charges } = knowing({ outcome: "not_charged" });
    expect(await run(provider)).toMatchObject({ released: 1, settled: 0 });
    expect(lookups).toEqual([`${orderId}|${orderId}`]);
    expect(charges()).toBe(0);
    expect(await stateOf(orderId, product.id, discount.id)).toEqual(RELEASED);
    expect(await client.orders.get.query({ id: orderId })).toMatchObject({ status: "cancelled", payment: null });
    // A second run finds nothing to do, and gives nothing back twice.
    expect(await run(provider)).toMatchObject({ released: 0 });
    expect(await stateOf(orderId, product.id, discount.id)).toEqual(RELEASED);
  });

  it("settles an order the provider did charge, and tells the customer", async () => {
    const { product, discount, client, orderId } = await crashedCheckout();
    const queue = recordingQueue();
    const { provider, charges } = knowing({ outcome: "succeeded", providerRef: "pi_found" });
    expect(await run(provider, queue)).toMatchObject({ settled: 1 });
    expect(charges()).toBe(0);
    expect(await stateOf(orderId, product.id, discount.id)).toEqual({
      order: "paid",
      payments: [{ status: "succeeded", ref: "pi_found" }],
      stock: 3,
      redemptions: 1,
      redemptionRows: 1,
      paidEvents: 1,
      refunds: 0,
    });
    expect(queue.sent).toHaveLength(1);
    expect(await client.orders.get.query({ id: orderId })).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
  });

  it("leaves alone what the provider still waits on, cannot answer, or is younger than 15 minutes", async () => {
    const waiting = await crashedCheckout();
    const unreachable = await crashedCheckout();
    const young = await crashedCheckout(PENDING_GRACE_MS - 60_000);
    const { provider, lookups } = knowing((orderId) => {
      if (orderId === waiting.orderId) return { outcome: "pending", providerRef: "pi_3ds" };
      if (orderId === unreachable.orderId) throw new Error("provider timed out");
      return { outcome: "not_charged" };
    });
    expect(await run(provider)).toMatchObject({ stillPending: 1, lookupErrors: 1 });
    expect(lookups.some((l) => l.startsWith(young.orderId))).toBe(false);
    for (const c of [waiting, unreachable, young]) expect((await stateOf(c.orderId, c.product.id, c.discount.id)).order).toBe("pending");
  });

  it("gives one outcome when two runs overlap", async () => {
    const released = await crashedCheckout();
    const settled = await crashedCheckout();
    const { provider } = knowing((orderId) =>
      orderId === settled.orderId ? { outcome: "succeeded", providerRef: "pi_twice" } : { outcome: "not_charged" },
    );
    await Promise.all([run(provider), run(provider)]);
    expect(await stateOf(released.orderId, released.product.id, released.discount.id)).toEqual(RELEASED);
    expect(await stateOf(settled.orderId, settled.product.id, settled.discount.id)).toMatchObject({
      order: "paid",
      payments: [{ status: "succeeded", ref: "pi_twice" }],
      stock: 3,
      paidEvents: 1,
    });
  });
});

describe("the cron racing the webhook for one order", () => {
  const webhookSettles = (orderId: string, queue = recordingQueue()) =>
    settlePendingOrder(
      { db: testDb(), outbox: queue, log: logger, now: Date.now },
      { orderId, provider: "test", providerRef: "pi_webhook" },
    );

  it("webhook first: the order is paid, and the cron's stale 'not charged' releases nothing", async () => {
    const c = await crashedCheckout();
    expect(await webhookSettles(c.orderId)).toBe("settled");
    await run(knowing({ outcome: "not_charged" }).provider);
    expect(await stateOf(c.orderId, c.product.id, c.discount.id)).toMatchObject({ order: "paid", stock: 3, redemptions: 1, paidEvents: 1 });
  });

  it("cron first: the order stays released and the money the webhook reports goes back as a refund", async () => {
    const c = await crashedCheckout();
    await run(knowing({ outcome: "not_charged" }).provider);
    const queue = recordingQueue();
    expect(await webhookSettles(c.orderId, queue)).toBe("refund_requested");
    expect(await webhookSettles(c.orderId, queue)).toBe("unchanged");
    expect(await stateOf(c.orderId, c.product.id, c.discount.id)).toEqual({
      ...RELEASED,
      payments: [
        { status: "failed", ref: null },
        { status: "refund_pending", ref: "pi_webhook" },
      ],
      refunds: 1,
    });
    expect(queue.sent).toHaveLength(1);
  });

  it("at the same moment: exactly one of the two outcomes, never both", async () => {
    for (let i = 0; i < 3; i++) {
      const c = await crashedCheckout();
      await Promise.all([run(knowing({ outcome: "not_charged" }).provider), webhookSettles(c.orderId)]);
      const state = await stateOf(c.orderId, c.product.id, c.discount.id);
      if (state.order === "paid") {
        expect(state).toMatchObject({ stock: 3, redemptions: 1, redemptionRows: 1, paidEvents: 1, refunds: 0 });
        expect(state.payments).toEqual([{ status: "succeeded", ref: "pi_webhook" }]);
      } else {
        expect(state).toMatchObject({ order: "cancelled", stock: 5, redemptions: 0, redemptionRows: 0, paidEvents: 0, refunds: 1 });
      }
    }
  });

  it("a cron settling while the webhook settles records one payment and one event", async () => {
    const c = await crashedCheckout();
    await Promise.all([run(knowing({ outcome: "succeeded", providerRef: "pi_webhook" }).provider), webhookSettles(c.orderId)]);
    expect(await stateOf(c.orderId, c.product.id, c.discount.id)).toMatchObject({
      order: "paid",
      payments: [{ status: "succeeded", ref: "pi_webhook" }],
      paidEvents: 1,
      refunds: 0,
    });
  });
});

describe("the cron's housekeeping", () => {
  it("re-sends outbox rows that were committed but never enqueued, once per minute at most", async () => {
    const c = await crashedCheckout();
    const { provider } = knowing({ outcome: "succeeded", providerRef: "pi_x" });
    await run(provider); // settles: an order.paid row, sent to a queue that only records
    const [row] = (await env.DB.prepare("select id from outbox where order_id = ?1").bind(c.orderId).all<{ id: string }>()).results;
    if (!row) throw new Error("no outbox row");
    const fresh = recordingQueue();
    await run(provider, fresh);
    expect(fresh.sent).not.toContainEqual({ id: row.id }); // younger than a minute
    const later = () => Date.now() + 2 * 60_000;
    const resend = recordingQueue();
    await run(provider, resend, later);
    expect(resend.sent).toContainEqual({ id: row.id });
    const again = recordingQueue();
    await run(provider, again, later);
    expect(again.sent).not.toContainEqual({ id: row.id }); // just re-sent
  });

  it("deletes idempotency keys older than a day, keeps newer ones", async () => {
    const { user } = await signedUpUser();
    const day = 24 * 60 * 60_000;
    await env.DB.batch([
      env.DB.prepare("insert into idempotency_keys (user_id, key, order_id, created_at) values (?1, 'old-key', 'o1', ?2)").bind(
        user.id,
        Date.now() - day - 60_000,
      ),
      env.DB.prepare("insert into idempotency_keys (user_id, key, order_id, created_at) values (?1, 'new-key', 'o2', ?2)").bind(
        user.id,
        Date.now() - 60_000,
      ),
    ]);
    await run(knowing({ outcome: "not_charged" }).provider);
    const keys = await env.DB.prepare("select key from idempotency_keys where user_id = ?1").bind(user.id).all<{ key: string }>();
    expect(keys.results.map((k) => k.key)).toEqual(["new-key"]);
  });

  it("runs from the Worker's scheduled handler", async () => {
    const c = await crashedCheckout();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env);
    // The built-in test provider knows of no charge for an order it never saw: released.
    expect(await stateOf(c.orderId, c.product.id, c.discount.id)).toEqual(RELEASED);
  });
});
