import { describe, expect, it } from "vitest";
import { discountRule as rule } from "../test/helpers/discount-rule";
import type { DiscountRule } from "./discounts";
import { priceCart, shippingFor, type PricedLineInput } from "./pricing";

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
const shipping = { flatCents: 499, freeFromCents: 5000 };
const price = (lines: PricedLineInput[], discount: (DiscountRule & { code: string }) | null = null, usedByCustomer = false) =>
  priceCart({ lines, discount, usedByCustomer, shipping, lowStockThreshold: 5, now });

describe("shipping", () => {
  it("is flat below the threshold and free from it", () => {
    expect(shippingFor(shipping, 4999, true)).toBe(499);
    expect(shippingFor(shipping, 5000, true)).toBe(0);
    expect(shippingFor(shipping, 5001, true)).toBe(0);
  });

  it("is nothing for an empty cart", () => {
    expect(shippingFor(shipping, 0, false)).toBe(0);
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
        { ...line(), lineTotalCents: 2500 },
        { ...line({ productId: "q", unitPriceCents: 300, addedPriceCents: 300, quantity: 1 }), lineTotalCents: 300 },
      ],
      subtotalCents: 2800,
      discountCents: 280,
      shippingCents: 499,
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
      lowStockThreshold: 5,
      now,
    });
    expect(priced.lines[0]).toEqual({ ...line(), slug: "p-slug", lineTotalCents: 2500 });
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
