import { describe, expect, it } from "vitest";
import type { CartDiscountRow, CartLineRow } from "../db/carts";
import { testConfig } from "../test/helpers/app-config";
import type { ShippingOption } from "../domain/shipping";
import type { TaxRateRow } from "../db/shipping";
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
const standard: ShippingOption = {
  id: "standard",
  zoneId: "default",
  name: "Standard",
  rate: { kind: "flat", cents: 499 },
  freeFromCents: 5000,
  minDays: 3,
  maxDays: 7,
};
const express: ShippingOption = { ...standard, id: "express", name: "Express", rate: { kind: "flat", cents: 1500 }, freeFromCents: null };
const rate = (over: Partial<TaxRateRow> = {}): TaxRateRow => ({
  region: "",
  rateBasisPoints: 0,
  inclusive: false,
  taxShipping: false,
  ...over,
});
const destination = { options: [standard, express], taxRates: [] };
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

  it("prices the rows with the default zone's cheapest shipping and the cart's discount, keeping each line's slug", () => {
    const priced = priceCartRows({ lines: [row()], discount: discountRow(), destination }, config, now);
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
        taxCents: 0,
      },
    ]);
  });

  it("treats an archived product as unavailable and a discount the customer used as used", () => {
    const priced = priceCartRows(
      { lines: [row({ status: "archived" })], discount: discountRow({ onePerCustomer: true, usedByCustomer: 1 }), destination },
      config,
      now,
    );
    expect(priced.warnings).toEqual([
      { kind: "unavailable", productId: "p", variantId: "v" },
      { kind: "discount_removed", reason: "already_used" },
    ]);
  });

  it("applies a one-per-customer code the customer has not used yet", () => {
    const priced = priceCartRows(
      { lines: [row()], discount: discountRow({ onePerCustomer: true, usedByCustomer: 0 }), destination },
      config,
      now,
    );
    expect(priced).toMatchObject({ discountCents: 200, appliedCode: "TEN", warnings: [] });
  });

  it("uses the configured low-stock band in its warnings, and no discount without one", () => {
    const priced = priceCartRows(
      { lines: [row({ quantity: 9, stock: 4 })], discount: null, destination },
      { ...config, lowStockThreshold: 3 },
      now,
    );
    expect(priced.warnings).toEqual([{ kind: "out_of_stock", productId: "p", variantId: "v", stockStatus: "in_stock" }]);
    expect(priced.appliedCode).toBeNull();
  });

  it("judges dates against the time it is given", () => {
    const ended = discountRow({ endsAt: new Date(now.getTime() - 1000) });
    expect(priceCartRows({ lines: [row()], discount: ended, destination }, config, now).warnings).toEqual([
      { kind: "discount_removed", reason: "expired" },
    ]);
    expect(priceCartRows({ lines: [row()], discount: ended, destination }, config, new Date(now.getTime() - 2000)).warnings).toEqual([]);
  });

  it("prices for the destination's rates: a state's, else the country's, and none without a country", () => {
    const us = { options: [standard], taxRates: [rate({ region: "CA", rateBasisPoints: 725 }), rate({ rateBasisPoints: 100 })] };
    const cart = { lines: [row()], discount: null, destination: us };
    expect(priceCartRows(cart, config, now, { country: "US", region: "ca" })).toMatchObject({
      taxCents: 145,
      totalCents: 2000 + 499 + 145,
    });
    expect(priceCartRows(cart, config, now, { country: "US", region: "NY" })).toMatchObject({ taxCents: 20, totalCents: 2519 });
    expect(priceCartRows(cart, config, now, { country: "US" })).toMatchObject({ taxCents: 20 });
    expect(priceCartRows(cart, config, now)).toMatchObject({ taxCents: 0, totalCents: 2499 });
  });

  it("taxes inclusively where the rate says so, shipping too", () => {
    const de = { options: [standard], taxRates: [rate({ rateBasisPoints: 1900, inclusive: true, taxShipping: true })] };
    expect(priceCartRows({ lines: [row()], discount: null, destination: de }, config, now, { country: "DE" })).toMatchObject({
      taxCents: 319 + 80,
      taxInclusive: true,
      totalCents: 2499,
    });
  });

  it("charges the option asked for", () => {
    const priced = priceCartRows({ lines: [row()], discount: null, destination }, config, now, {
      country: "GB",
      shippingOptionId: "express",
    });
    expect(priced).toMatchObject({ shippingOptionId: "express", shippingCents: 1500 });
  });

  it("refuses a region that names no state, and at checkout a missing state where states are taxed", () => {
    const us = {
      lines: [row()],
      discount: null,
      destination: { options: [standard], taxRates: [rate({ region: "CA", rateBasisPoints: 725 })] },
    };
    expect(() => priceCartRows(us, config, now, { country: "US", region: "Narnia" })).toThrow(
      expect.objectContaining({ reason: "unknown_region" }),
    );
    expect(() => priceCartRows(us, config, now, { country: "US", requireRegion: true })).toThrow(
      expect.objectContaining({ reason: "unknown_region" }),
    );
    expect(priceCartRows(us, config, now, { country: "US" }).taxCents).toBe(0);
    expect(priceCartRows(us, config, now, { country: "US", region: "CA", requireRegion: true }).taxCents).toBe(145);
  });
});
