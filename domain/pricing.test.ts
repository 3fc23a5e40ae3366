import { describe, expect, it } from "vitest";
import { discountRule as rule } from "../test/helpers/discount-rule";
import type { DiscountRule } from "./discounts";
import { priceCart, type PricedLineInput } from "./pricing";
import type { ShippingOption } from "./shipping";
import { NO_TAX, type TaxRule } from "./tax";

const now = new Date("2026-06-01T12:00:00Z");
const line = (over: Partial<PricedLineInput> = {}): PricedLineInput => ({
  productId: "p",
  variantId: "v",
  name: "P",
  unitPriceCents: 1250,
  addedPriceCents: 1250,
  quantity: 2,
  stock: 10,
  active: true,
  weightGrams: 0,
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
const express: ShippingOption = {
  id: "express",
  zoneId: "default",
  name: "Express",
  rate: { kind: "weight", bands: [{ upToGrams: 2000, cents: 1290 }] },
  freeFromCents: null,
  minDays: 1,
  maxDays: 2,
};
const shipping = { options: [express, standard] };
const price = (
  lines: PricedLineInput[],
  discount: (DiscountRule & { code: string }) | null = null,
  usedByCustomer = false,
  tax: TaxRule = NO_TAX,
  requestedId?: string,
) => priceCart({ lines, discount, usedByCustomer, shipping: { ...shipping, requestedId }, tax, lowStockThreshold: 5, now });

describe("shipping and tax in the cart's price", () => {
  it("charges the cheapest option when none is chosen, and lists every option that applies", () => {
    expect(price([line()])).toMatchObject({
      shippingOptionId: "standard",
      shippingCents: 499,
      shippingOptions: [
        { id: "standard", priceCents: 499 },
        { id: "express", priceCents: 1290 },
      ],
    });
  });

  it("charges the option chosen, and none when the one chosen does not apply", () => {
    expect(price([line()], null, false, NO_TAX, "express")).toMatchObject({
      shippingOptionId: "express",
      shippingCents: 1290,
      totalCents: 3790,
    });
    expect(price([line()], null, false, NO_TAX, "elsewhere")).toMatchObject({ shippingOptionId: null, shippingCents: 0 });
  });

  it("weighs the cart for a rate by weight", () => {
    expect(price([line({ weightGrams: 1000, quantity: 2 })], null, false, NO_TAX, "express").shippingCents).toBe(1290);
    expect(price([line({ weightGrams: 1001, quantity: 2 })]).shippingOptions.map((o) => o.id)).toEqual(["standard"]);
  });

  it("offers nothing for a cart with a negative or absurd weight", () => {
    expect(price([line({ weightGrams: -1 })])).toMatchObject({ shippingOptions: [], shippingOptionId: null });
    expect(price([line({ weightGrams: 2_000_000 })])).toMatchObject({ shippingOptions: [], shippingOptionId: null });
  });

  it("adds exclusive tax to the total, per line, on the discounted amounts", () => {
    const priced = price(
      [line(), line({ productId: "q", unitPriceCents: 300, addedPriceCents: 300, quantity: 1 })],
      { ...rule({ value: 10 }), code: "TEN" },
      false,
      {
        rateBasisPoints: 725,
        mode: "exclusive",
        taxShipping: false,
      },
    );
    // Discount 280 spread 250 / 30: tax 2250 × 7.25 % = 163.125 → 163, 270 × 7.25 % = 19.575 → 20.
    expect(priced.lines.map((l) => l.taxCents)).toEqual([163, 20]);
    expect(priced).toMatchObject({ taxCents: 183, shippingTaxCents: 0, taxInclusive: false, totalCents: 2800 - 280 + 499 + 183 });
  });

  it("shows inclusive tax without adding it, shipping's tax included", () => {
    const priced = price([line()], null, false, { rateBasisPoints: 1900, mode: "inclusive", taxShipping: true });
    // 2500 / 1.19 = 2100.84 → tax 399; 499 / 1.19 = 419.33 → tax 80.
    expect(priced).toMatchObject({ lines: [{ taxCents: 399 }], taxCents: 479, shippingTaxCents: 80, taxInclusive: true, totalCents: 2999 });
  });
});

describe("cart pricing", () => {
  it("totals lines, discount and shipping in integer cents", () => {
    expect(
      price([line(), line({ productId: "q", unitPriceCents: 300, addedPriceCents: 300, quantity: 1 })], {
        ...rule({ value: 10 }),
        code: "TEN",
      }),
    ).toEqual({
      lines: [
        { ...line(), lineTotalCents: 2500, taxCents: 0 },
        { ...line({ productId: "q", unitPriceCents: 300, addedPriceCents: 300, quantity: 1 }), lineTotalCents: 300, taxCents: 0 },
      ],
      subtotalCents: 2800,
      discountCents: 280,
      shippingCents: 499,
      shippingOptionId: "standard",
      shippingOptions: [
        { id: "standard", name: "Standard", priceCents: 499, estimatedDays: { min: 3, max: 7 } },
        { id: "express", name: "Express", priceCents: 1290, estimatedDays: { min: 1, max: 2 } },
      ],
      taxCents: 0,
      shippingTaxCents: 0,
      taxInclusive: false,
      totalCents: 3019,
      appliedCode: "TEN",
      warnings: [],
      purchasable: true,
    });
  });

  it("charges no shipping once the subtotal reaches the threshold, and no discount without a code", () => {
    expect(price([line({ quantity: 4 })])).toMatchObject({
      subtotalCents: 5000,
      discountCents: 0,
      shippingCents: 0,
      totalCents: 5000,
      appliedCode: null,
    });
  });

  it("decides free shipping on the subtotal after the discount", () => {
    const priced = price([line({ quantity: 4 })], { ...rule({ kind: "fixed", value: 1 }), code: "ONE" });
    expect(priced).toMatchObject({ subtotalCents: 5000, discountCents: 1, shippingCents: 499, totalCents: 5498 });
  });

  it("prices an empty cart at nothing and cannot buy it", () => {
    expect(price([])).toEqual({
      lines: [],
      subtotalCents: 0,
      discountCents: 0,
      shippingCents: 0,
      // Nothing to ship: every option is free, in the zone's order.
      shippingOptionId: "express",
      shippingOptions: [
        { id: "express", name: "Express", priceCents: 0, estimatedDays: { min: 1, max: 2 } },
        { id: "standard", name: "Standard", priceCents: 0, estimatedDays: { min: 3, max: 7 } },
      ],
      taxCents: 0,
      shippingTaxCents: 0,
      taxInclusive: false,
      totalCents: 0,
      appliedCode: null,
      warnings: [],
      purchasable: false,
    });
  });

  it("warns about changed prices, missing stock and a discount that no longer applies", () => {
    const priced = price([line({ addedPriceCents: 1000, stock: 1 })], { ...rule({ endsAt: new Date("2026-01-01") }), code: "OLD" });
    expect(priced.warnings).toEqual([
      { kind: "out_of_stock", productId: "p", variantId: "v", stockStatus: "low", maxQuantity: 1 },
      { kind: "price_changed", productId: "p", variantId: "v", fromCents: 1000, toCents: 1250 },
      { kind: "discount_removed", reason: "expired" },
    ]);
    expect(priced).toMatchObject({ discountCents: 0, appliedCode: null, totalCents: 2999, purchasable: false });
  });

  it("never tells a short-stock warning the count above the low band, nor a quantity when sold out", () => {
    expect(price([line({ quantity: 20, stock: 12 })]).warnings).toEqual([
      { kind: "out_of_stock", productId: "p", variantId: "v", stockStatus: "in_stock" },
    ]);
    expect(price([line({ stock: 0 })]).warnings).toEqual([{ kind: "out_of_stock", productId: "p", variantId: "v", stockStatus: "out" }]);
  });

  it("keeps whatever else a line carries", () => {
    const priced = priceCart({
      lines: [{ ...line(), slug: "p-slug" }],
      discount: null,
      usedByCustomer: false,
      shipping,
      tax: NO_TAX,
      lowStockThreshold: 5,
      now,
    });
    expect(priced.lines[0]).toEqual({ ...line(), slug: "p-slug", lineTotalCents: 2500, taxCents: 0 });
  });

  it("can buy exactly the stock there is", () => {
    expect(price([line({ quantity: 3, stock: 3 })])).toMatchObject({ warnings: [], purchasable: true });
  });

  it("calls an archived product unavailable rather than out of stock, and cannot buy it", () => {
    const priced = price([line({ active: false, stock: 0 }), line({ productId: "q" })]);
    expect(priced.warnings).toEqual([{ kind: "unavailable", productId: "p", variantId: "v" }]);
    expect(priced.purchasable).toBe(false);
  });

  it("cannot buy a cart with one short line among good ones", () => {
    expect(price([line({ productId: "q" }), line({ stock: 1 })]).purchasable).toBe(false);
  });

  it("drops a code the customer already used, and says why", () => {
    const priced = price([line()], { ...rule({ onePerCustomer: true }), code: "ONCE" }, true);
    expect(priced).toMatchObject({ discountCents: 0, appliedCode: null, warnings: [{ kind: "discount_removed", reason: "already_used" }] });
  });
});
