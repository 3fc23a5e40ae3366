import { describe, expect, it } from "vitest";
import type { CartDiscountRow, CartLineRow } from "../db/carts";
import { testConfig } from "../test/helpers/app-config";
import { priceCartRows, toDiscountRule } from "./cart-pricing";

const config = testConfig();
const now = new Date("2026-06-01T12:00:00Z");
const row = (over: Partial<CartLineRow> = {}): CartLineRow => ({
  productId: "p",
  variantId: "v",
  slug: "p-slug",
  sku: "P-M-BLUE",
  option1: "M",
  option2: "Blue",
  option3: "",
  weightGrams: null,
  name: "P",
  quantity: 2,
  addedPriceCents: 1000,
  unitPriceCents: 1000,
  currency: "USD",
  stock: 10,
  status: "active",
  ...over,
});
const discountRow = (over: Partial<CartDiscountRow> = {}): CartDiscountRow => ({
  id: "d",
  code: "TEN",
  kind: "percent",
  value: 10,
  minSubtotalCents: null,
  startsAt: null,
  endsAt: null,
  maxRedemptions: null,
  redemptions: 0,
  onePerCustomer: false,
  active: true,
  usedByCustomer: 0,
  ...over,
});

describe("cart pricing from rows", () => {
  it("takes the rule's fields from a discount row, leaving out its id and the customer's use", () => {
    const start = Date.parse("2026-05-01T00:00:00Z");
    const end = Date.parse("2026-07-01T00:00:00Z");
    expect(
      toDiscountRule(
        discountRow({
          startsAt: new Date(start),
          endsAt: new Date(end),
          onePerCustomer: true,
          active: true,
          maxRedemptions: 5,
          redemptions: 2,
        }),
      ),
    ).toEqual({
      code: "TEN",
      kind: "percent",
      value: 10,
      minSubtotalCents: null,
      startsAt: new Date(start),
      endsAt: new Date(end),
      maxRedemptions: 5,
      redemptions: 2,
      onePerCustomer: true,
      active: true,
    });
    expect(toDiscountRule(discountRow({ onePerCustomer: false, active: false, minSubtotalCents: 100 }))).toMatchObject({
      startsAt: null,
      endsAt: null,
      onePerCustomer: false,
      active: false,
      minSubtotalCents: 100,
    });
  });

  it("prices the rows with the configured shipping and the cart's discount, keeping each line's slug", () => {
    const priced = priceCartRows({ lines: [row()], discount: discountRow() }, config, now);
    expect(priced).toMatchObject({
      subtotalCents: 2000,
      discountCents: 200,
      shippingCents: 499,
      totalCents: 2299,
      appliedCode: "TEN",
      purchasable: true,
    });
    expect(priced.lines).toEqual([
      {
        slug: "p-slug",
        productId: "p",
        variantId: "v",
        variantLabel: "M / Blue",
        sku: "P-M-BLUE",
        name: "P",
        unitPriceCents: 1000,
        addedPriceCents: 1000,
        quantity: 2,
        stock: 10,
        active: true,
        weightGrams: 0,
        lineTotalCents: 2000,
      },
    ]);
  });

  it("treats an archived product as unavailable and a discount the customer used as used", () => {
    const priced = priceCartRows(
      { lines: [row({ status: "archived" })], discount: discountRow({ onePerCustomer: true, usedByCustomer: 1 }) },
      config,
      now,
    );
    expect(priced.warnings).toEqual([
      { kind: "unavailable", productId: "p", variantId: "v" },
      { kind: "discount_removed", reason: "already_used" },
    ]);
  });

  it("applies a one-per-customer code the customer has not used yet", () => {
    const priced = priceCartRows({ lines: [row()], discount: discountRow({ onePerCustomer: true, usedByCustomer: 0 }) }, config, now);
    expect(priced).toMatchObject({ discountCents: 200, appliedCode: "TEN", warnings: [] });
  });

  it("uses the configured low-stock band in its warnings, and no discount without one", () => {
    const priced = priceCartRows({ lines: [row({ quantity: 9, stock: 4 })], discount: null }, { ...config, lowStockThreshold: 3 }, now);
    expect(priced.warnings).toEqual([{ kind: "out_of_stock", productId: "p", variantId: "v", stockStatus: "in_stock" }]);
    expect(priced.appliedCode).toBeNull();
  });

  it("judges dates against the time it is given", () => {
    const ended = discountRow({ endsAt: new Date(now.getTime() - 1000) });
    expect(priceCartRows({ lines: [row()], discount: ended }, config, now).warnings).toEqual([
      { kind: "discount_removed", reason: "expired" },
    ]);
    expect(priceCartRows({ lines: [row()], discount: ended }, config, new Date(now.getTime() - 2000)).warnings).toEqual([]);
  });
});
