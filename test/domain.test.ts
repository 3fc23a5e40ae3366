import { describe, expect, it } from "vitest";
import { discountAmount, discountRefusal, type DiscountRule } from "../domain/discounts";
import { canTransition } from "../domain/order-status";
import { priceCart, shippingFor } from "../domain/pricing";
import { shortStock, stockStatus } from "../domain/stock";
import { decodeCursor, encodeCursor } from "../domain/cursor";
import { checkWebhookSignature, signWebhook } from "../domain/webhook-signature";

const rule = (over: Partial<DiscountRule> = {}): DiscountRule => ({
  kind: "percent",
  value: 10,
  minSubtotalCents: null,
  startsAt: null,
  endsAt: null,
  maxRedemptions: null,
  redemptions: 0,
  onePerCustomer: false,
  active: true,
  ...over,
});
const now = new Date("2026-06-01T12:00:00Z");
const ok = { subtotalCents: 5000, now, usedByCustomer: false };

describe("discount amounts", () => {
  it.each([
    ["10% of 1,005 rounds half up to 101", rule({ value: 10 }), 1005, 101],
    ["10% of 1,004 rounds down to 100", rule({ value: 10 }), 1004, 100],
    ["15% of 333 is 50 (49.95 rounds up)", rule({ value: 15 }), 333, 50],
    ["100% takes the whole subtotal", rule({ value: 100 }), 2599, 2599],
    ["a fixed amount", rule({ kind: "fixed", value: 500 }), 2000, 500],
    ["a fixed amount never exceeds the subtotal", rule({ kind: "fixed", value: 5000 }), 1200, 1200],
  ])("%s", (_, r, subtotal, expected) => expect(discountAmount(r, subtotal)).toBe(expected));
});

describe("discount refusals", () => {
  it.each([
    ["unknown", undefined, ok, "unknown"],
    ["disabled", rule({ active: false }), ok, "unknown"],
    ["not started", rule({ startsAt: new Date("2026-07-01") }), ok, "not_started"],
    ["expired", rule({ endsAt: new Date("2026-05-01") }), ok, "expired"],
    ["below minimum", rule({ minSubtotalCents: 6000 }), ok, "below_minimum"],
    ["used up", rule({ maxRedemptions: 3, redemptions: 3 }), ok, "used_up"],
    ["already used", rule({ onePerCustomer: true }), { ...ok, usedByCustomer: true }, "already_used"],
    ["valid", rule(), ok, null],
  ] as const)("%s", (_, r, ctx, expected) => expect(discountRefusal(r, ctx)).toBe(expected));
});

describe("cart pricing", () => {
  const line = { productId: "p", name: "P", unitPriceCents: 1250, addedPriceCents: 1250, quantity: 2, stock: 10, active: true };
  const shipping = { flatCents: 499, freeFromCents: 5000 };

  it("adds flat shipping below the threshold and none from it", () => {
    expect(shippingFor(shipping, 4999, true)).toBe(499);
    expect(shippingFor(shipping, 5000, true)).toBe(0);
    expect(shippingFor(shipping, 0, false)).toBe(0);
  });

  it("totals lines, discount and shipping in integer cents", () => {
    const priced = priceCart({
      lines: [line],
      discount: { ...rule({ value: 10 }), code: "TEN" },
      usedByCustomer: false,
      shipping,
      lowStockThreshold: 5,
      now,
    });
    expect(priced).toMatchObject({ subtotalCents: 2500, discountCents: 250, shippingCents: 499, totalCents: 2749, appliedCode: "TEN", purchasable: true });
  });

  it("warns about changed prices, missing stock and a discount that no longer applies", () => {
    const priced = priceCart({
      lines: [{ ...line, addedPriceCents: 1000, stock: 1 }],
      discount: { ...rule({ endsAt: new Date("2026-01-01") }), code: "OLD" },
      usedByCustomer: false,
      shipping,
      lowStockThreshold: 5,
      now,
    });
    expect(priced.warnings.map((w) => w.kind).sort()).toEqual(["discount_removed", "out_of_stock", "price_changed"]);
    expect(priced.discountCents).toBe(0);
    expect(priced.purchasable).toBe(false);
  });
});

describe("order state machine", () => {
  it.each([
    ["pending", "paid", true],
    ["paid", "shipped", true],
    ["shipped", "delivered", true],
    ["paid", "cancelled", true],
    ["pending", "cancelled", false],
    ["paid", "pending", false],
    ["shipped", "cancelled", false],
    ["delivered", "shipped", false],
    ["cancelled", "paid", false],
  ] as const)("%s → %s is %s", (from, to, allowed) => expect(canTransition(from, to)).toBe(allowed));
});

describe("stock status", () => {
  it.each([
    [0, "out"],
    [1, "low"],
    [5, "low"],
    [6, "in_stock"],
  ] as const)("%i units → %s", (stock, status) => expect(stockStatus(stock, 5)).toBe(status));

  it("tells a short-stock warning a quantity only within the low band", () => {
    expect(shortStock(0, 5)).toEqual({ stockStatus: "out" });
    expect(shortStock(-2, 5)).toEqual({ stockStatus: "out" });
    expect(shortStock(1, 5)).toEqual({ stockStatus: "low", maxQuantity: 1 });
    expect(shortStock(5, 5)).toEqual({ stockStatus: "low", maxQuantity: 5 });
    expect(shortStock(6, 5)).toEqual({ stockStatus: "in_stock" });
    expect(shortStock(20, 5)).toEqual({ stockStatus: "in_stock" });
  });
});

describe("cursors", () => {
  it("round-trips and refuses what it did not issue", () => {
    expect(decodeCursor(encodeCursor({ v: 1234, id: "abc" }))).toEqual({ v: 1234, id: "abc" });
    for (const bad of ["", "!!!", btoa("{}"), btoa('["x"]'), btoa("[1e999, \"a\"]")]) expect(decodeCursor(bad)).toBeNull();
  });
});

describe("webhook signatures", () => {
  it("accepts a fresh signature and refuses stale, tampered and malformed ones", async () => {
    const t = 1_800_000_000;
    const header = await signWebhook("secret", '{"a":1}', t);
    expect(await checkWebhookSignature("secret", header, '{"a":1}', t + 10)).toBeNull();
    expect(await checkWebhookSignature("secret", header, '{"a":2}', t + 10)).toBe("mismatch");
    expect(await checkWebhookSignature("other", header, '{"a":1}', t + 10)).toBe("mismatch");
    expect(await checkWebhookSignature("secret", header, '{"a":1}', t + 301)).toBe("stale");
    expect(await checkWebhookSignature("secret", "v1=abc", '{"a":1}', t)).toBe("malformed");
    expect(await checkWebhookSignature("secret", undefined, '{"a":1}', t)).toBe("missing");
  });
});
