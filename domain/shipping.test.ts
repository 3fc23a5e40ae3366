import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cartWeight, chooseQuote, MAX_ITEM_WEIGHT_GRAMS, optionPrice, quoteOptions, zoneFor, type ShippingOption } from "./shipping";

const zones = [
  { id: "eu", countries: ["DE", "FR"], isDefault: false },
  { id: "world", countries: [], isDefault: true },
  { id: "uk", countries: ["GB"], isDefault: false },
];

const standard: ShippingOption = {
  id: "std",
  zoneId: "eu",
  name: "Standard",
  rate: { kind: "flat", cents: 499 },
  freeFromCents: 5000,
  minDays: 3,
  maxDays: 5,
};
const express: ShippingOption = {
  id: "exp",
  zoneId: "eu",
  name: "Express",
  // Out of order on purpose: bands are read by their bounds, not their order.
  rate: {
    kind: "weight",
    bands: [
      { upToGrams: 5000, cents: 1990 },
      { upToGrams: 1000, cents: 990 },
    ],
  },
  freeFromCents: null,
  minDays: 1,
  maxDays: 2,
};

describe("zoneFor", () => {
  it.each([
    ["DE", "eu"],
    ["FR", "eu"],
    ["GB", "uk"],
    ["US", "world"],
  ])("%s ships from zone %s", (country, id) => expect(zoneFor(zones, country)?.id).toBe(id));

  it("finds no zone for a country none lists when there is no default", () => {
    expect(
      zoneFor(
        zones.filter((z) => !z.isDefault),
        "US",
      ),
    ).toBeNull();
  });
});

describe("cartWeight", () => {
  it("sums weight × quantity", () => {
    expect(
      cartWeight([
        { weightGrams: 250, quantity: 2 },
        { weightGrams: 0, quantity: 9 },
        { weightGrams: 1000, quantity: 1 },
      ]),
    ).toBe(1500);
    expect(cartWeight([])).toBe(0);
  });

  it.each([[-1], [0.5], [MAX_ITEM_WEIGHT_GRAMS + 1], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    "refuses an item weighing %d g",
    (grams) => {
      expect(
        cartWeight([
          { weightGrams: 10, quantity: 1 },
          { weightGrams: grams, quantity: 1 },
        ]),
      ).toBeNull();
    },
  );

  it("accepts the heaviest item allowed", () => {
    expect(cartWeight([{ weightGrams: MAX_ITEM_WEIGHT_GRAMS, quantity: 2 }])).toBe(2 * MAX_ITEM_WEIGHT_GRAMS);
  });
});

describe("optionPrice", () => {
  it("is flat below the free-shipping threshold and free from it", () => {
    expect(optionPrice(standard, { discountedSubtotalCents: 4999, weightGrams: 100_000 })).toBe(499);
    expect(optionPrice(standard, { discountedSubtotalCents: 5000, weightGrams: 0 })).toBe(0);
  });

  it.each([
    [0, 990],
    [1000, 990],
    [1001, 1990],
    [5000, 1990],
    [5001, null],
  ])("by weight: %i g costs %s", (grams, cents) => {
    expect(optionPrice(express, { discountedSubtotalCents: 1_000_000, weightGrams: grams })).toBe(cents);
  });

  it("never makes an option without a threshold free", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 5000 }), (subtotal, grams) => {
        expect(optionPrice(express, { discountedSubtotalCents: subtotal, weightGrams: grams })).toBeGreaterThan(0);
      }),
    );
  });
});

describe("quoteOptions", () => {
  it("lists the options that apply, cheapest first, with their estimates", () => {
    const quotes = quoteOptions([express, standard], { discountedSubtotalCents: 1000, weightGrams: 800, hasLines: true });
    expect(quotes).toEqual([
      { id: "std", name: "Standard", priceCents: 499, estimatedDays: { min: 3, max: 5 } },
      { id: "exp", name: "Express", priceCents: 990, estimatedDays: { min: 1, max: 2 } },
    ]);
  });

  it("leaves out an option no band holds the cart's weight for", () => {
    expect(
      quoteOptions([express, standard], { discountedSubtotalCents: 1000, weightGrams: 6000, hasLines: true }).map((q) => q.id),
    ).toEqual(["std"]);
  });

  it("keeps the given order between options of one price", () => {
    const ids = ["a", "b", "c", "d", "e"];
    const same = ids.map((id) => ({ ...standard, id }));
    expect(quoteOptions(same, { discountedSubtotalCents: 0, weightGrams: 0, hasLines: true }).map((q) => q.id)).toEqual(ids);
  });

  it("charges nothing to ship an empty cart", () => {
    expect(quoteOptions([express], { discountedSubtotalCents: 0, weightGrams: 99_999, hasLines: false })).toMatchObject([
      { id: "exp", priceCents: 0 },
    ]);
  });
});

describe("chooseQuote", () => {
  const quotes = quoteOptions([express, standard], { discountedSubtotalCents: 1000, weightGrams: 0, hasLines: true });
  it("takes the option asked for", () => expect(chooseQuote(quotes, "exp")?.id).toBe("exp"));
  it("takes the cheapest when none is asked for", () => expect(chooseQuote(quotes, undefined)?.id).toBe("std"));
  it("refuses an option that does not apply here", () => expect(chooseQuote(quotes, "other-zone")).toBeNull());
  it("has nothing to choose from no options", () => expect(chooseQuote([], undefined)).toBeNull());
});
