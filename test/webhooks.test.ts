// POST /webhooks/payments in Stripe's format, signed by test/helpers/webhooks.ts the way Stripe
// documents it, independently of the SDK the Worker verifies with.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ErrorBody } from "../router/error-shape";
import { clientWithEnv, signedUpUser } from "./helpers/client";
import { ADDRESS, createDiscount, createProduct, newKey, stockOf } from "./helpers/shop";
import { nowSeconds, sendSignedWebhook, sendWebhook, stripeEvent, stripeSignature } from "./helpers/webhooks";

const SECRET = env.STRIPE_WEBHOOK_SECRET;

const row = (sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .first();
const orderState = (orderId: string) =>
  row(
    "select o.status as orderStatus, p.status as payment, p.provider_ref as ref from orders o left join payments p on p.order_id = o.id where o.id = ?1",
    orderId,
  );

/** A 3-D Secure order through the test provider: pending, stock and a discount reserved. */
async function pendingOrder() {
  const product = await createProduct({ stock: 5, priceCents: 2000 });
  const discount = await createDiscount({ maxRedemptions: 10 });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
  await shopper.client.cart.applyDiscount.mutate({ code: discount.code });
  const order = await shopper.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_threeDSecure2Required",
  });
  const providerRef = order.nextAction?.clientSecret.split("_secret_")[0];
  if (order.status !== "pending" || !providerRef || !order.nextAction) throw new Error("expected a pending 3-D Secure order");
  const intent = (extra: Record<string, unknown> = {}) => ({
    id: providerRef,
    object: "payment_intent",
    amount: order.totalCents,
    currency: "usd",
    metadata: { order_id: order.id },
    ...extra,
  });
  return { order, product, discount, shopper, providerRef, intent, clientSecret: order.nextAction.clientSecret };
}

async function paidOrder() {
  const product = await createProduct({ stock: 5, priceCents: 2000 });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
  const order = await shopper.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_visa",
  });
  const ref = (await row("select provider_ref as ref from payments where order_id = ?1", order.id))?.ref;
  if (typeof ref !== "string") throw new Error("paid order without a payment");
  return { order, ref };
}

describe("Stripe-Signature", () => {
  it("accepts a good signature and settles the pending order", async () => {
    const { order, providerRef, intent } = await pendingOrder();
    const response = await sendSignedWebhook(stripeEvent("payment_intent.succeeded", intent({ status: "succeeded" })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect(await orderState(order.id)).toEqual({ orderStatus: "paid", payment: "succeeded", ref: providerRef });
  });

  it("refuses a missing, wrong-secret, tampered, stale (past 300 s) or old-scheme signature with 401 and changes nothing", async () => {
    const { order, intent } = await pendingOrder();
    const body = stripeEvent("payment_intent.succeeded", intent());
    const legacy = await stripeSignature(body);
    const attempts = [
      await sendWebhook(body),
      await sendWebhook(body, { "stripe-signature": await stripeSignature(body, "whsec_wrong_secret") }),
      await sendWebhook(body.replace(order.id, crypto.randomUUID()), { "stripe-signature": await stripeSignature(body) }),
      await sendWebhook(body, { "stripe-signature": await stripeSignature(body, SECRET, nowSeconds() - 301) }),
      await sendWebhook(body, { "stripe-signature": await stripeSignature(body, SECRET, nowSeconds() + 3600) }),
      await sendWebhook(body, { "stripe-signature": "t=1,v1=nope" }),
      await sendWebhook(body, { "x-storefront-signature": legacy }),
    ];
    expect(attempts.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "pending", payment: "pending" });
  });

  it("accepts a signature within the tolerance", async () => {
    const { order, intent } = await pendingOrder();
    const body = stripeEvent("payment_intent.succeeded", intent());
    const response = await sendWebhook(body, { "stripe-signature": await stripeSignature(body, SECRET, nowSeconds() - 240) });
    expect(response.status).toBe(200);
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "paid" });
  });

  it("verifies with the Stripe provider's webhook secret the same way", async () => {
    const stripeSecret = "whsec_stripe_provider_0123456789";
    const { fetch } = clientWithEnv({
      PAYMENT_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: "sk_test_webhooks_0123",
      STRIPE_PUBLISHABLE_KEY: "pk_test_webhooks_0123",
      STRIPE_WEBHOOK_SECRET: stripeSecret,
    });
    const body = stripeEvent("customer.created", { id: "cus_1" });
    const post = async (secret: string) =>
      fetch("/webhooks/payments", { method: "POST", headers: { "stripe-signature": await stripeSignature(body, secret) }, body });
    expect((await post(SECRET)).status).toBe(401);
    expect((await post(stripeSecret)).status).toBe(200);
  });
});

describe("events", () => {
  it("applies each event id once: a replay changes nothing and says so", async () => {
    const { order, product, intent } = await pendingOrder();
    const succeeded = stripeEvent("payment_intent.succeeded", intent());
    expect(await (await sendSignedWebhook(succeeded)).json()).toEqual({ received: true, duplicate: false });
    expect(await (await sendSignedWebhook(succeeded)).json()).toEqual({ received: true, duplicate: true });
    // A failure reusing the applied id is the same event id: ignored, the order stays paid.
    const id = (JSON.parse(succeeded) as { id: string }).id;
    expect(await (await sendSignedWebhook(stripeEvent("payment_intent.payment_failed", intent(), id))).json()).toEqual({
      received: true,
      duplicate: true,
    });
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "paid", payment: "succeeded" });
    expect(await stockOf(product.id)).toBe(3);
  });

  it("acknowledges an event type it does not act on with 200, changing nothing", async () => {
    const { order, intent } = await pendingOrder();
    for (const type of ["customer.created", "payment_intent.created", "charge.succeeded"]) {
      const response = await sendSignedWebhook(stripeEvent(type, intent()));
      expect(response.status, type).toBe(200);
      expect(await response.json()).toEqual({ received: true, ignored: true });
    }
    // A payment intent this shop did not create (no order id) is none of its business either.
    expect(
      await (await sendSignedWebhook(stripeEvent("payment_intent.succeeded", { id: "pi_other", amount: 100, metadata: {} }))).json(),
    ).toEqual({
      received: true,
      ignored: true,
    });
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "pending" });
  });

  it.each([
    ["JSON that is not an event", JSON.stringify({ hello: "world" })],
    ["not JSON at all", "payment_intent.succeeded for order 42"],
    ["JSON cut off", stripeEvent("payment_intent.succeeded", { id: "pi_cut" }).slice(0, 40)],
    ["an empty body", ""],
    ["JSON null", "null"],
    ["a JSON array", "[]"],
    ["a JSON string", '"evt_123"'],
    [
      "a thin v2 event notification",
      JSON.stringify({ id: "evt_thin", object: "v2.core.event", type: "v1.billing.meter.error_report_triggered" }),
    ],
  ])("refuses a signed body that is %s with 400, never a 500", async (_, body) => {
    const response = await sendSignedWebhook(body);
    expect(response.status).toBe(400);
    expect(ErrorBody.parse(await response.json())).toMatchObject({ code: "BAD_REQUEST", data: { code: "BAD_REQUEST", httpStatus: 400 } });
  });

  it("payment_intent.succeeded settles only for the order's own total", async () => {
    const { order, intent } = await pendingOrder();
    await sendSignedWebhook(stripeEvent("payment_intent.succeeded", intent({ amount: order.totalCents - 1 })));
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "pending", payment: "pending" });
    await sendSignedWebhook(stripeEvent("payment_intent.succeeded", intent()));
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "paid", payment: "succeeded" });
  });

  it("payment_intent.succeeded records the payment of a checkout that died before recording it", async () => {
    const { order, providerRef, intent } = await pendingOrder();
    await env.DB.prepare("delete from payments where order_id = ?1").bind(order.id).run();
    await sendSignedWebhook(stripeEvent("payment_intent.succeeded", intent()));
    expect(await orderState(order.id)).toEqual({ orderStatus: "paid", payment: "succeeded", ref: providerRef });
    expect(await row("select provider, amount_cents as amount from payments where order_id = ?1", order.id)).toEqual({
      provider: "test",
      amount: order.totalCents,
    });
  });

  it("payment_intent.payment_failed releases the pending order: stock and discount back, the order cancelled", async () => {
    const { order, product, discount, shopper, intent } = await pendingOrder();
    expect(await stockOf(product.id)).toBe(3);
    expect(await row("select redemptions as n from discounts where id = ?1", discount.id)).toEqual({ n: 1 });
    const response = await sendSignedWebhook(stripeEvent("payment_intent.payment_failed", intent({ status: "requires_payment_method" })));
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect(await stockOf(product.id)).toBe(5);
    expect(await row("select redemptions as n from discounts where id = ?1", discount.id)).toEqual({ n: 0 });
    expect(await row("select count(*) as n from discount_redemptions where order_id = ?1", order.id)).toEqual({ n: 0 });
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "cancelled", payment: "failed" });
    expect(await shopper.client.orders.get.query({ id: order.id })).toMatchObject({ status: "cancelled", payment: null });
  });

  it("payment_intent.payment_failed leaves a paid order alone", async () => {
    const { order, product, intent } = await pendingOrder();
    await sendSignedWebhook(stripeEvent("payment_intent.succeeded", intent()));
    await sendSignedWebhook(stripeEvent("payment_intent.payment_failed", intent()));
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "paid", payment: "succeeded" });
    expect(await stockOf(product.id)).toBe(3);
  });

  it("charge.refunded marks a fully refunded payment refunded, and ignores a partial refund", async () => {
    const { order, ref } = await paidOrder();
    const partial = await sendSignedWebhook(
      stripeEvent("charge.refunded", { id: "ch_1", object: "charge", payment_intent: ref, refunded: false, amount_refunded: 100 }),
    );
    expect(await partial.json()).toEqual({ received: true, ignored: true });
    expect(await orderState(order.id)).toMatchObject({ payment: "succeeded" });
    await sendSignedWebhook(
      stripeEvent("charge.refunded", {
        id: "ch_1",
        object: "charge",
        payment_intent: ref,
        refunded: true,
        amount_refunded: order.totalCents,
      }),
    );
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "paid", payment: "refunded" });
  });

  it("charge.dispute.created marks the payment disputed", async () => {
    const { order, ref } = await paidOrder();
    await sendSignedWebhook(
      stripeEvent("charge.dispute.created", { id: "dp_1", object: "dispute", charge: "ch_1", payment_intent: ref, reason: "fraudulent" }),
    );
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "paid", payment: "disputed" });
  });

  it("charge.refunded and disputes leave a payment that was never taken alone", async () => {
    const { order, providerRef } = await pendingOrder();
    await sendSignedWebhook(stripeEvent("charge.refunded", { id: "ch_2", object: "charge", payment_intent: providerRef, refunded: true }));
    await sendSignedWebhook(stripeEvent("charge.dispute.created", { id: "dp_2", object: "dispute", payment_intent: providerRef }));
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "pending", payment: "pending" });
  });
});

describe("the test provider's 3-D Secure step (POST /dev/test-payments/confirm)", () => {
  const confirm = (
    body: unknown,
    via: (path: string, init?: RequestInit) => Promise<Response> = (path, init) => SELF.fetch(`http://storefront.test${path}`, init),
  ) => via("/dev/test-payments/confirm", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("sends the test provider's signed payment_intent.succeeded through the webhook: the order is paid", async () => {
    const { order, shopper, clientSecret } = await pendingOrder();
    const response = await confirm({ clientSecret });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect((await shopper.client.orders.get.query({ id: order.id })).status).toBe("paid");
    // Nothing is waiting any more.
    expect((await confirm({ clientSecret })).status).toBe(404);
  });

  it("fails 3-D Secure on request: payment_intent.payment_failed releases the order", async () => {
    const { order, product, clientSecret } = await pendingOrder();
    await confirm({ clientSecret, outcome: "failed" });
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "cancelled", payment: "failed" });
    expect(await stockOf(product.id)).toBe(5);
  });

  it("refuses a client secret it did not issue", async () => {
    const { order, providerRef } = await pendingOrder();
    expect((await confirm({ clientSecret: `${providerRef}_secret_${"0".repeat(32)}` })).status).toBe(404);
    expect((await confirm({ clientSecret: "nope" })).status).toBe(404);
    expect((await confirm({})).status).toBe(400);
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "pending" });
  });

  it.each([
    [
      "production, with Stripe",
      { ENVIRONMENT: "production", PAYMENT_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk_live_0123456789", STRIPE_WEBHOOK_SECRET: SECRET },
    ],
    ["production, with the test provider named", { ENVIRONMENT: "production", PAYMENT_PROVIDER: "test" }],
    [
      "development, with Stripe",
      { ENVIRONMENT: "development", PAYMENT_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk_test_0123456789", STRIPE_WEBHOOK_SECRET: SECRET },
    ],
  ] satisfies [string, Partial<Env>][])("does not exist in %s, even with a real client secret", async (_name, overrides) => {
    const { order, clientSecret } = await pendingOrder();
    const response = await confirm({ clientSecret }, clientWithEnv(overrides).fetch);
    expect(response.status).toBe(404);
    expect(await orderState(order.id)).toMatchObject({ orderStatus: "pending", payment: "pending" });
  });
});
