// Dependencies arrive on the context: a test swaps the payment provider, the rate limiter, the
// session cache or the clock by building the context with its own, with no module mocking.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentProvider } from "../domain/payments";
import { REFRESH_TOKEN_TTL_MS } from "../domain/refresh-token";
import type { Limiter } from "../services/limiter";
import { SESSION_CHECK_TTL_MS, SessionCache } from "../services/session-cache";
import { callerFor } from "./helpers/callers";
import { signedUpUser, STRONG_PASSWORD, uniqueEmail } from "./helpers/client";
import { ADDRESS, createDiscount, createProduct, newKey, stockOf } from "./helpers/shop";

async function shopperWithCart() {
  const product = await createProduct({ stock: 5, priceCents: 2500 });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
  const token = shopper.session.tokens?.accessToken;
  if (!token) throw new Error("signed up without a token");
  return { product, token };
}

describe("the context's dependencies", () => {
  it("charges through the provider it is given, with the server's total and the order id as idempotency key", async () => {
    const { product, token } = await shopperWithCart();
    const charges: Parameters<PaymentProvider["charge"]>[0][] = [];
    const recording: PaymentProvider = {
      name: "recording",
      charge: async (input) => {
        charges.push(input);
        return { outcome: "succeeded", providerRef: "rec_123" };
      },
      lookup: async () => ({ outcome: "not_charged" }),
      refund: async () => ({ outcome: "refunded", refundRef: "re_123" }),
    };
    const paidAt = Date.UTC(2026, 0, 2, 3, 4, 5);
    const caller = await callerFor(token, { payments: recording, now: () => paidAt });
    const order = await caller.checkout.placeOrder({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "anything" });

    expect(charges).toEqual([
      { orderId: order.id, amountCents: order.totalCents, currency: "USD", token: "anything", idempotencyKey: order.id },
    ]);
    expect(order.createdAt.getTime()).toBe(paidAt);
    const payment = await env.DB.prepare("select provider, provider_ref as ref, amount_cents as amount from payments where order_id = ?1")
      .bind(order.id)
      .first();
    expect(payment).toEqual({ provider: "recording", ref: "rec_123", amount: order.totalCents });
    expect(await stockOf(product.id)).toBe(3);
  });

  it("releases the reservation when the provider it is given throws", async () => {
    const { product, token } = await shopperWithCart();
    const broken: PaymentProvider = {
      name: "broken",
      charge: () => Promise.reject(new Error("connection reset")),
      lookup: () => Promise.reject(new Error("connection reset")),
      refund: () => Promise.reject(new Error("connection reset")),
    };
    const caller = await callerFor(token, { payments: broken });
    await expect(
      caller.checkout.placeOrder({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      cause: { reason: "payment_unavailable" },
    });
    expect(await stockOf(product.id)).toBe(5);
  });

  it("asks the limiter it is given, and refuses with TOO_MANY_REQUESTS when it says no", async () => {
    const { token } = await shopperWithCart();
    const keys: string[] = [];
    const refusing: Limiter = {
      check: async (key, limit) => {
        keys.push(key);
        return { allowed: false, limit, remaining: 0, resetSeconds: 60, retryAfterSeconds: 42 };
      },
    };
    const caller = await callerFor(token, { limiter: refusing });
    await expect(
      caller.checkout.placeOrder({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
    ).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    expect(keys).toEqual([expect.stringMatching(/^checkout\.placeOrder\|user\|/)]);
  });

  it("prices the cart at the clock it is given: a discount past its end is removed", async () => {
    const product = await createProduct({ priceCents: 2000 });
    const shopper = await signedUpUser();
    const endsAt = Date.now() + 60 * 60_000;
    const discount = await createDiscount({ kind: "percent", value: 10, endsAt });
    await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    await shopper.client.cart.applyDiscount.mutate({ code: discount.code });
    const token = shopper.session.tokens!.accessToken;
    const before = await (await callerFor(token, { now: () => endsAt - 1000 })).cart.get();
    expect(before).toMatchObject({ discountCents: 200, warnings: [] });
    const after = await (await callerFor(token, { now: () => endsAt + 1000 })).cart.get();
    expect(after.warnings).toEqual([{ kind: "discount_removed", reason: "expired" }]);
    expect(after.discountCents).toBe(0);
  });

  it("stamps a new account and its session with the clock it is given", async () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    const caller = await callerFor("no-token", { now: () => at });
    const result = await caller.auth.signup({ email: uniqueEmail("clock"), password: STRONG_PASSWORD, name: "Clock" });
    expect(result.user.createdAt.getTime()).toBe(at);
    const row = await env.DB.prepare("select expires_at as expiresAt from sessions where user_id = ?1")
      .bind(result.user.id)
      .first<{ expiresAt: number }>();
    expect(row?.expiresAt).toBe(at + REFRESH_TOKEN_TTL_MS);
  });

  it("refuses a refresh token past its expiry by the clock it is given", async () => {
    const { session } = await signedUpUser();
    const { accessToken, refreshToken } = session.tokens!;
    const muchLater = await callerFor(accessToken, { now: () => Date.now() + REFRESH_TOKEN_TTL_MS + 60_000 });
    await expect(muchLater.auth.refresh({ refreshToken })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // The same token, at the real time, still rotates.
    expect((await (await callerFor(accessToken, {})).auth.refresh({ refreshToken })).user.id).toBe(session.tokens!.user.id);
  });

  it("checks sessions through the session cache it is given, expiring entries by its clock", async () => {
    const { session, user } = await signedUpUser();
    const token = session.tokens!.accessToken;
    const sessions = new SessionCache();
    expect((await (await callerFor(token, { sessions })).auth.me()).id).toBe(user.id);
    await env.DB.prepare("update sessions set revoked_at = ?1 where user_id = ?2").bind(Date.now(), user.id).run();
    // That cache remembers the family as live within its TTL; one that never saw it asks D1.
    expect((await (await callerFor(token, { sessions })).auth.me()).id).toBe(user.id);
    await expect((await callerFor(token, { sessions: new SessionCache() })).auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Past the TTL by the context's clock, the same cache asks D1 again.
    const later = await callerFor(token, { sessions, now: () => Date.now() + SESSION_CHECK_TTL_MS + 1 });
    await expect(later.auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
