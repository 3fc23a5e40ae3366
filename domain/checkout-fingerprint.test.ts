import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalCheckout, checkoutFingerprint, type CheckoutRequest } from "./checkout-fingerprint";

const request: CheckoutRequest = {
  lines: [
    { productId: "b", quantity: 1, unitPriceCents: 500 },
    { productId: "a", quantity: 2, unitPriceCents: 1000 },
  ],
  discountCode: null,
  currency: "USD",
  shippingAddress: { name: "Ada", line1: "1 Row", city: "London", postalCode: "N1", country: "GB" },
  shippingOptionId: null,
};

describe("the canonical checkout request", () => {
  it("is the lines by product id, the discount, the currency and the address fields by name, as JSON", () => {
    expect(canonicalCheckout(request)).toBe(
      JSON.stringify({
        lines: [
          ["a", 2, 1000],
          ["b", 1, 500],
        ],
        discountCode: null,
        currency: "USD",
        address: [
          ["city", "London"],
          ["country", "GB"],
          ["line1", "1 Row"],
          ["name", "Ada"],
          ["postalCode", "N1"],
        ],
      }),
    );
  });

  it("names a variant only when it is not its product's default one, so keys stored before variants still match", () => {
    const asBefore = canonicalCheckout(request);
    const defaults = request.lines.map((l) => ({ ...l, variantId: l.productId }));
    expect(canonicalCheckout({ ...request, lines: defaults })).toBe(asBefore);
    const medium = canonicalCheckout({ ...request, lines: [{ productId: "a", variantId: "a-m", quantity: 1, unitPriceCents: 500 }] });
    const large = canonicalCheckout({ ...request, lines: [{ productId: "a", variantId: "a-l", quantity: 1, unitPriceCents: 500 }] });
    expect(medium).not.toBe(large);
    expect((JSON.parse(medium) as { lines: unknown[] }).lines).toEqual([["a", "a-m", 1, 500]]);
  });

  it("orders lines by product id whatever order they come in", () => {
    const ids = ["m", "c", "x", "a", "q"];
    const lines = ids.map((productId, i) => ({ productId, quantity: i + 1, unitPriceCents: 100 }));
    const sorted = [...ids].sort();
    for (const order of [lines, [...lines].reverse(), [lines[2]!, lines[0]!, lines[4]!, lines[1]!, lines[3]!]]) {
      const canonical = JSON.parse(canonicalCheckout({ ...request, lines: order })) as { lines: [string, number, number][] };
      expect(canonical.lines.map(([id]) => id)).toEqual(sorted);
    }
  });

  it("orders UUID product ids as comparing the ids alone would (what fingerprints already stored used)", () => {
    const ids = Array.from({ length: 12 }, () => crypto.randomUUID());
    const lines = ids.map((productId, i) => ({ productId, quantity: 12 - i, unitPriceCents: 100 * i }));
    const canonical = JSON.parse(canonicalCheckout({ ...request, lines })) as { lines: [string, number, number][] };
    expect(canonical.lines.map(([id]) => id)).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("does not depend on the order of lines even for the same product twice", () => {
    const once = { productId: "a", quantity: 1, unitPriceCents: 100 };
    const again = { productId: "a", quantity: 2, unitPriceCents: 100 };
    expect(canonicalCheckout({ ...request, lines: [again, once] })).toBe(canonicalCheckout({ ...request, lines: [once, again] }));
  });

  it("drops address fields that are absent or empty, so both read the same", () => {
    const withBlanks = canonicalCheckout({ ...request, shippingAddress: { ...request.shippingAddress, line2: "", region: undefined } });
    expect(withBlanks).toBe(canonicalCheckout(request));
    expect(withBlanks).not.toContain("line2");
    expect(canonicalCheckout({ ...request, shippingAddress: { ...request.shippingAddress, line2: "Flat 2" } })).toContain(
      '["line2","Flat 2"]',
    );
  });
});

describe("the checkout fingerprint", () => {
  it("is the SHA-256 of the canonical request in lower-case hex", async () => {
    for (const r of [request, { ...request, currency: "EUR" }, { ...request, discountCode: "SAVE10" }]) {
      expect(await checkoutFingerprint(r)).toBe(createHash("sha256").update(canonicalCheckout(r)).digest("hex"));
    }
  });

  it("is the same whatever the order of lines and address fields", async () => {
    const same = await checkoutFingerprint({
      ...request,
      lines: [...request.lines].reverse(),
      shippingAddress: { country: "GB", postalCode: "N1", city: "London", line1: "1 Row", name: "Ada", line2: undefined },
    });
    expect(same).toMatch(/^[0-9a-f]{64}$/);
    expect(same).toBe(await checkoutFingerprint(request));
  });

  it.each<[string, Partial<CheckoutRequest>]>([
    [
      "a quantity",
      {
        lines: [
          { productId: "a", quantity: 3, unitPriceCents: 1000 },
          { productId: "b", quantity: 1, unitPriceCents: 500 },
        ],
      },
    ],
    [
      "a price",
      {
        lines: [
          { productId: "a", quantity: 2, unitPriceCents: 999 },
          { productId: "b", quantity: 1, unitPriceCents: 500 },
        ],
      },
    ],
    ["the currency", { currency: "EUR" }],
    ["the discount", { discountCode: "SAVE" }],
    ["the address", { shippingAddress: { ...request.shippingAddress, line1: "2 Row" } }],
    ["a shipping option", { shippingOptionId: "express" }],
  ])("changes with %s", async (_, change) => {
    expect(await checkoutFingerprint({ ...request, ...change })).not.toBe(await checkoutFingerprint(request));
  });
});

describe("the shipping option in the canonical request", () => {
  it("is named when there is one, and absent (as before options existed) when null", () => {
    expect(JSON.parse(canonicalCheckout({ ...request, shippingOptionId: "express" }))).toMatchObject({ shippingOptionId: "express" });
    expect(JSON.parse(canonicalCheckout(request))).not.toHaveProperty("shippingOptionId");
  });
});
