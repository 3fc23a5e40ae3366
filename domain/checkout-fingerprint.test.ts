import { describe, expect, it } from "vitest";
import { checkoutFingerprint, type CheckoutRequest } from "./checkout-fingerprint";

const request: CheckoutRequest = {
  lines: [
    { productId: "b", quantity: 1, unitPriceCents: 500 },
    { productId: "a", quantity: 2, unitPriceCents: 1000 },
  ],
  discountCode: null,
  currency: "USD",
  shippingAddress: { name: "Ada", line1: "1 Row", city: "London", postalCode: "N1", country: "GB" },
};

describe("the checkout fingerprint", () => {
  it("is a SHA-256 in hex, the same whatever the order of lines and address fields", async () => {
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
  ])("changes with %s", async (_, change) => {
    expect(await checkoutFingerprint({ ...request, ...change })).not.toBe(await checkoutFingerprint(request));
  });
});
