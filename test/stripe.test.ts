// The Stripe provider: the real SDK over HTTP against the local fake of Stripe's API
// (test/stripe-fake.ts, served through the test configuration's outboundService).
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ABANDONED_AFTER_MS, PENDING_GRACE_MS } from "../services/reconcile";
import { stripeProvider } from "../services/stripe";
import worker from "../worker/index";
import { clientWithEnv, refusalOf, signedUpUser } from "./helpers/client";
import { ADDRESS, createProduct, newKey, stockOf } from "./helpers/shop";

// Low enough that the timeout case is quick, high enough that a busy machine never trips it on
// an answer the fake gives at once.
const TIMEOUT_MS = 2000;
const STRIPE_ENV: Partial<Env> = {
  PAYMENT_PROVIDER: "stripe",
  STRIPE_SECRET_KEY: "sk_test_fake_checkout_0123456789",
  STRIPE_PUBLISHABLE_KEY: "pk_test_fake_checkout_0123456789",
  STRIPE_WEBHOOK_SECRET: "whsec_fake_0123456789",
  STRIPE_TIMEOUT_MS: String(TIMEOUT_MS),
};

const FakeRequest = z.object({
  host: z.string(),
  method: z.string(),
  path: z.string(),
  idempotencyKey: z.string().nullable(),
  params: z.record(z.string(), z.string()),
});
/** What the fake received for an order (its creates carry the id as metadata and idempotency key). */
async function stripeSaw(orderId: string) {
  const response = await fetch(`https://api.stripe.com/__fake/requests?order=${orderId}`);
  return z.array(FakeRequest).parse(await response.json());
}
const creates = async (orderId: string) => (await stripeSaw(orderId)).filter((r) => r.path === "/v1/payment_intents");

/** A ConfirmationToken for one of Stripe's test payment methods, as Stripe's test helper makes it. */
async function confirmationToken(paymentMethod: string): Promise<string> {
  const response = await fetch("https://api.stripe.com/v1/test_helpers/confirmation_tokens", {
    method: "POST",
    headers: { authorization: `Bearer ${STRIPE_ENV.STRIPE_SECRET_KEY ?? ""}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: paymentMethod }),
  });
  return z.object({ id: z.string().startsWith("ctoken_") }).parse(await response.json()).id;
}

async function shopper(options: { stock?: number; quantity?: number } = {}) {
  const product = await createProduct({ stock: options.stock ?? 5, priceCents: 2500 });
  const user = await signedUpUser();
  await user.client.cart.addItem.mutate({ productId: product.id, quantity: options.quantity ?? 2 });
  const { client } = clientWithEnv(STRIPE_ENV, user.session.tokens);
  return { product, user, client };
}

const placeWith = (client: Awaited<ReturnType<typeof shopper>>["client"], paymentToken: string, idempotencyKey = newKey()) =>
  client.checkout.placeOrder.mutate({ idempotencyKey, shippingAddress: ADDRESS, paymentToken });
/** Places the order with a fresh ConfirmationToken for a test payment method. */
const place = async (client: Awaited<ReturnType<typeof shopper>>["client"], paymentMethod: string, idempotencyKey = newKey()) =>
  placeWith(client, await confirmationToken(paymentMethod), idempotencyKey);

const paymentRows = (orderId: string) =>
  env.DB.prepare("select provider, provider_ref as ref, amount_cents as amount, status from payments where order_id = ?1")
    .bind(orderId)
    .all();
const orderRow = (orderId: string) => env.DB.prepare("select status, total_cents as total from orders where id = ?1").bind(orderId).first();
const ordersOf = async (userId: string) =>
  (await env.DB.prepare("select count(*) as n from orders where user_id = ?1").bind(userId).first<{ n: number }>())?.n;

describe("checkout through Stripe", () => {
  it("confirms one PaymentIntent with the ConfirmationToken for the server's total, keyed by the order id, and settles the order", async () => {
    const { product, user, client } = await shopper();
    const token = await confirmationToken("pm_card_visa");
    const order = await placeWith(client, token);
    expect(order).toMatchObject({ status: "paid", totalCents: 5000, nextAction: null });

    const [create, ...more] = await creates(order.id);
    expect(more).toEqual([]);
    expect(create).toMatchObject({
      host: "api.stripe.com",
      method: "POST",
      idempotencyKey: order.id,
      params: { amount: "5000", currency: "usd", confirm: "true", confirmation_token: token, "metadata[order_id]": order.id },
    });
    expect(create?.params).not.toHaveProperty("payment_method");
    const { results } = await paymentRows(order.id);
    expect(results).toEqual([{ provider: "stripe", ref: expect.stringMatching(/^pi_/) as unknown, amount: 5000, status: "succeeded" }]);
    expect(await orderRow(order.id)).toEqual({ status: "paid", total: 5000 });
    expect(await stockOf(product.id)).toBe(3);
    expect((await user.client.cart.get.query()).lines).toEqual([]);
  });

  it("talks to the API host STRIPE_API_BASE names, in tests (development's local fake of Stripe)", async () => {
    const { user } = await shopper();
    const { client } = clientWithEnv({ ...STRIPE_ENV, STRIPE_API_BASE: "http://stripe-fake.test:8801" }, user.session.tokens);
    const order = await place(client, "pm_card_visa");
    expect(order.status).toBe("paid");
    expect(await creates(order.id)).toMatchObject([{ host: "stripe-fake.test:8801", params: { amount: "5000" } }]);
  });

  it("returns the same order for the same idempotency key and never charges twice", async () => {
    const { client } = await shopper();
    const key = newKey();
    const token = await confirmationToken("pm_card_visa");
    const first = await placeWith(client, token, key);
    const again = await placeWith(client, token, key);
    expect(again.id).toBe(first.id);
    expect(await creates(first.id)).toHaveLength(1);
  });

  it.each([
    ["pm_card_chargeDeclined", "Your card was declined."],
    ["pm_card_chargeDeclinedInsufficientFunds", "Your card has insufficient funds."],
  ])("refuses a decline (%s) with Stripe's message, releases the stock and keeps the cart", async (paymentMethod, message) => {
    const { product, user, client } = await shopper();
    const refusal = await refusalOf(place(client, paymentMethod));
    expect(refusal).toMatchObject({ code: "PRECONDITION_FAILED", reason: "payment_declined", message });
    expect(await ordersOf(user.user.id)).toBe(0);
    expect(await stockOf(product.id)).toBe(5);
    expect((await user.client.cart.get.query()).lines).toHaveLength(1);
  });

  it.each([
    ["a made-up id", async () => Promise.resolve("ctoken_madeup0123456789")],
    ["the test provider's tok_visa", async () => Promise.resolve("tok_visa")],
    [
      "a token already spent on another order",
      async () => {
        const token = await confirmationToken("pm_card_visa");
        const other = await shopper();
        await placeWith(other.client, token);
        return token;
      },
    ],
  ])("refuses %s as a card to enter again, releases the stock and keeps the cart", async (_name, token) => {
    const { product, user, client } = await shopper();
    const refusal = await refusalOf(placeWith(client, await token()));
    expect(refusal).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "payment_declined",
      message: "This payment method cannot be used. Try another card.",
    });
    expect(await ordersOf(user.user.id)).toBe(0);
    expect(await stockOf(product.id)).toBe(5);
    expect((await user.client.cart.get.query()).lines).toHaveLength(1);
  });

  it("leaves a 3-D Secure order pending with its stock, and returns the client secret to finish it", async () => {
    const { product, user, client } = await shopper();
    const key = newKey();
    const token = await confirmationToken("pm_card_threeDSecure2Required");
    const order = await placeWith(client, token, key);
    expect(order.status).toBe("pending");
    expect(order.nextAction).toEqual({
      type: "confirm_payment",
      provider: "stripe",
      clientSecret: expect.stringMatching(/^pi_\w+_secret_\w+$/) as unknown,
    });
    const { results } = await paymentRows(order.id);
    expect(results).toEqual([
      { provider: "stripe", ref: order.nextAction?.clientSecret.split("_secret_")[0], amount: 5000, status: "pending" },
    ]);
    expect(await orderRow(order.id)).toEqual({ status: "pending", total: 5000 });
    expect(await stockOf(product.id)).toBe(3);
    expect((await user.client.cart.get.query()).lines).toEqual([]);
    // The owner sees it pending; a replay of the same call answers the order, without the secret.
    expect((await user.client.orders.get.query({ id: order.id })).status).toBe("pending");
    expect(await placeWith(client, token, key)).toMatchObject({ id: order.id, status: "pending", nextAction: null });
    expect(await creates(order.id)).toHaveLength(1);
  });

  it("releases a 3-D Secure order its customer abandoned: the cron cancels the PaymentIntent and puts the stock back", async () => {
    const { product, user, client } = await shopper();
    const order = await place(client, "pm_card_threeDSecure2Required");
    const intentId = order.nextAction?.clientSecret.split("_secret_")[0] ?? "";
    const cron = (after: number) =>
      worker.scheduled(createScheduledController({ scheduledTime: Date.now() + after, cron: "*/5 * * * *" }), { ...env, ...STRIPE_ENV });

    // Past the grace a customer may still be in their bank's step: the order waits.
    await cron(PENDING_GRACE_MS + 60_000);
    expect(await orderRow(order.id)).toEqual({ status: "pending", total: 5000 });
    expect((await stripeSaw(order.id)).filter((r) => r.path.endsWith("/cancel"))).toEqual([]);

    await cron(ABANDONED_AFTER_MS + 60_000);
    expect(await orderRow(order.id)).toEqual({ status: "cancelled", total: 5000 });
    expect((await user.client.orders.get.query({ id: order.id })).payment).toBeNull();
    expect(await stockOf(product.id)).toBe(5);
    const cancels = (await stripeSaw("")).filter((r) => r.path === `/v1/payment_intents/${intentId}/cancel`);
    expect(cancels).toMatchObject([{ method: "POST", params: { cancellation_reason: "abandoned" } }]);
    // The bank's step can no longer take the money.
    const late = await fetch(`https://api.stripe.com/__fake/payment_intents/${intentId}/authenticate`, { method: "POST" });
    expect(late.status).toBe(404);
  });

  it.each([
    ["a 500", "pm_fake_http500"],
    ["a timeout", "pm_fake_timeout"],
  ])(
    "treats %s as an outage after one retry with the same key: refused, nothing charged, stock released",
    { timeout: 60_000 },
    async (_name, token) => {
      const { product, user, client } = await shopper();
      const ctoken = await confirmationToken(token);
      const tried = async () => (await stripeSaw("")).filter((r) => r.params.confirmation_token === ctoken);
      const before = (await tried()).length;
      const refusal = await refusalOf(placeWith(client, ctoken));
      expect(refusal).toMatchObject({ code: "PRECONDITION_FAILED", reason: "payment_unavailable" });
      expect(await ordersOf(user.user.id)).toBe(0);
      expect(await stockOf(product.id)).toBe(5);
      expect((await user.client.cart.get.query()).lines).toHaveLength(1);
      // The order is gone, so its attempts are found by token: two, under one key (the order id).
      const attempts = (await tried()).slice(before);
      expect(attempts).toHaveLength(2);
      expect(attempts[0]?.idempotencyKey).toBe(attempts[0]?.params["metadata[order_id]"]);
      expect(attempts[1]?.idempotencyKey).toBe(attempts[0]?.idempotencyKey);
    },
  );

  it("rides out one 500 with the SDK's retry, under the same idempotency key, and charges once", async () => {
    const { client } = await shopper();
    const order = await place(client, "pm_fake_flaky");
    expect(order.status).toBe("paid");
    const attempts = await creates(order.id);
    expect(attempts.map((a) => a.idempotencyKey)).toEqual([order.id, order.id]);
    expect((await paymentRows(order.id)).results).toHaveLength(1);
  });
});

describe("the Stripe provider's lookup and refunds", () => {
  const provider = stripeProvider({ secretKey: "sk_test_fake_provider_0123456789", timeoutMs: TIMEOUT_MS });
  const charge = async (paymentMethod: string, orderId = crypto.randomUUID()) => {
    const token = await confirmationToken(paymentMethod);
    const result = await provider.charge({ orderId, amountCents: 1200, currency: "USD", token, idempotencyKey: orderId });
    return { orderId, result };
  };

  it("finds an order's PaymentIntent by the order id: succeeded, pending 3-D Secure, declined, never created", async () => {
    const paid = await charge("pm_card_visa");
    const waiting = await charge("pm_card_threeDSecure2Required");
    const declined = await charge("pm_card_chargeDeclined");
    if (paid.result.outcome !== "succeeded" || waiting.result.outcome !== "requires_action") throw new Error("unexpected charge outcomes");
    expect(declined.result).toEqual({ outcome: "declined", reason: "Your card was declined." });

    const lookup = (orderId: string) => provider.lookup({ orderId, idempotencyKey: orderId });
    expect(await lookup(paid.orderId)).toEqual({ outcome: "succeeded", providerRef: paid.result.providerRef });
    expect(await lookup(waiting.orderId)).toEqual({ outcome: "pending", providerRef: waiting.result.providerRef });
    expect(await lookup(declined.orderId)).toEqual({ outcome: "not_charged" });
    expect(await lookup(crypto.randomUUID())).toEqual({ outcome: "not_charged" });

    // The customer finishes 3-D Secure: the next lookup sees the payment taken.
    await fetch(`https://api.stripe.com/__fake/payment_intents/${waiting.result.providerRef}/authenticate`, { method: "POST" });
    expect(await lookup(waiting.orderId)).toEqual({ outcome: "succeeded", providerRef: waiting.result.providerRef });

    const searches = (await stripeSaw("")).filter((r) => r.path === "/v1/payment_intents/search" && r.params.query?.includes(paid.orderId));
    expect(searches[0]?.params.query).toBe(`metadata['order_id']:'${paid.orderId}'`);
  });

  it("refunds through the Refunds API with the idempotency key: once, the same refund again, then refused for good", async () => {
    const { result } = await charge("pm_card_visa");
    if (result.outcome !== "succeeded") throw new Error("charge failed");
    const refund = (idempotencyKey: string) => provider.refund({ providerRef: result.providerRef, amountCents: 1200, idempotencyKey });
    const first = await refund("refund_order_1");
    expect(first).toEqual({ outcome: "refunded", refundRef: expect.stringMatching(/^re_/) as unknown });
    expect(await refund("refund_order_1")).toEqual(first);
    expect(await refund("refund_order_1_other")).toEqual({
      outcome: "failed",
      reason: expect.stringContaining("already been refunded") as unknown,
    });
  });

  it(
    "answers a refund Stripe cannot take right now (500) as an outage to retry, and an unknown payment as failed",
    { timeout: 60_000 },
    async () => {
      const { result } = await charge("pm_fake_refund_http500");
      if (result.outcome !== "succeeded") throw new Error("charge failed");
      expect(await provider.refund({ providerRef: result.providerRef, amountCents: 1200, idempotencyKey: "refund_x" })).toEqual({
        outcome: "error",
        reason: expect.stringContaining("StripeAPIError 500") as unknown,
      });
      expect(await provider.refund({ providerRef: "pi_unknown", amountCents: 1200, idempotencyKey: "refund_y" })).toEqual({
        outcome: "failed",
        reason: "No such payment_intent: 'pi_unknown'",
      });
    },
  );
});
