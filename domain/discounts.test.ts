import { describe, expect, it } from "vitest";
import { discountRule as rule } from "../test/helpers/discount-rule";
import { DISCOUNT_REFUSAL_MESSAGE, discountAmount, discountRefusal, normaliseCode } from "./discounts";

const now = new Date("2026-06-01T12:00:00Z");
const ok = { subtotalCents: 5000, now, usedByCustomer: false };
const ms = (offset: number) => new Date(now.getTime() + offset);

describe("discount amounts", () => {
  it.each([
    ["10% of 1,005 rounds half up to 101", rule({ value: 10 }), 1005, 101],
    ["10% of 1,004 rounds down to 100", rule({ value: 10 }), 1004, 100],
    ["15% of 333 is 50 (49.95 rounds up)", rule({ value: 15 }), 333, 50],
    ["100% takes the whole subtotal", rule({ value: 100 }), 2599, 2599],
    ["a percentage of nothing is nothing", rule({ value: 50 }), 0, 0],
    ["a fixed amount", rule({ kind: "fixed", value: 500 }), 2000, 500],
    ["a fixed amount equal to the subtotal takes all of it", rule({ kind: "fixed", value: 1200 }), 1200, 1200],
    ["a fixed amount never exceeds the subtotal", rule({ kind: "fixed", value: 5000 }), 1200, 1200],
    ["a fixed amount off nothing is nothing", rule({ kind: "fixed", value: 500 }), 0, 0],
  ])("%s", (_, r, subtotal, expected) => expect(discountAmount(r, subtotal)).toBe(expected));
});

describe("discount refusals", () => {
  it.each([
    ["unknown", undefined, ok, "unknown"],
    ["disabled", rule({ active: false }), ok, "unknown"],
    ["not started", rule({ startsAt: new Date("2026-07-01") }), ok, "not_started"],
    ["starting this millisecond", rule({ startsAt: now }), ok, null],
    ["started a millisecond ago", rule({ startsAt: ms(-1) }), ok, null],
    ["starting in a millisecond", rule({ startsAt: ms(1) }), ok, "not_started"],
    ["expired", rule({ endsAt: new Date("2026-05-01") }), ok, "expired"],
    ["ending this millisecond", rule({ endsAt: now }), ok, "expired"],
    ["ending in a millisecond", rule({ endsAt: ms(1) }), ok, null],
    ["inside its window", rule({ startsAt: ms(-1000), endsAt: ms(1000) }), ok, null],
    ["below minimum", rule({ minSubtotalCents: 6000 }), ok, "below_minimum"],
    ["a cent below the minimum", rule({ minSubtotalCents: 5001 }), ok, "below_minimum"],
    ["exactly at the minimum", rule({ minSubtotalCents: 5000 }), ok, null],
    ["above the minimum", rule({ minSubtotalCents: 1000 }), ok, null],
    ["used up", rule({ maxRedemptions: 3, redemptions: 3 }), ok, "used_up"],
    ["over-redeemed", rule({ maxRedemptions: 3, redemptions: 4 }), ok, "used_up"],
    ["one redemption left", rule({ maxRedemptions: 3, redemptions: 2 }), ok, null],
    ["already used", rule({ onePerCustomer: true }), { ...ok, usedByCustomer: true }, "already_used"],
    ["one per customer, not used yet", rule({ onePerCustomer: true }), ok, null],
    ["used before, but not limited per customer", rule(), { ...ok, usedByCustomer: true }, null],
    ["valid", rule(), ok, null],
  ] as const)("%s", (_, r, ctx, expected) => expect(discountRefusal(r, ctx)).toBe(expected));

  it("gives the first reason in the order a customer can act on: exists, dates, supply, own use, minimum", () => {
    const everything = rule({
      active: false,
      startsAt: ms(1000),
      endsAt: ms(-1000),
      maxRedemptions: 1,
      redemptions: 1,
      onePerCustomer: true,
      minSubtotalCents: 9000,
    });
    const used = { ...ok, usedByCustomer: true };
    expect(discountRefusal(everything, used)).toBe("unknown");
    expect(discountRefusal({ ...everything, active: true }, used)).toBe("not_started");
    expect(discountRefusal({ ...everything, active: true, startsAt: null }, used)).toBe("expired");
    expect(discountRefusal({ ...everything, active: true, startsAt: null, endsAt: null }, used)).toBe("used_up");
    expect(discountRefusal({ ...everything, active: true, startsAt: null, endsAt: null, maxRedemptions: null }, used)).toBe("already_used");
    expect(discountRefusal({ ...everything, active: true, startsAt: null, endsAt: null, maxRedemptions: null }, ok)).toBe("below_minimum");
  });

  it("tells the customer each refusal in words", () => {
    expect(DISCOUNT_REFUSAL_MESSAGE).toEqual({
      unknown: "This discount code does not exist.",
      not_started: "This discount code is not valid yet.",
      expired: "This discount code has expired.",
      below_minimum: "Your subtotal is below this code's minimum.",
      used_up: "This discount code has been used up.",
      already_used: "You have already used this discount code.",
    });
  });
});

describe("discount codes", () => {
  it("match whatever the case and surrounding spaces", () => {
    expect(normaliseCode("  welcome10\t")).toBe("WELCOME10");
    expect(normaliseCode("Spring-Sale_2")).toBe("SPRING-SALE_2");
  });
});
