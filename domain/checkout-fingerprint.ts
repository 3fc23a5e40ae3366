// The fingerprint stored with a checkout's idempotency key: a SHA-256 over the canonical request
// (what is bought at which unit prices, the discount code, the currency, the address, the shipping
// option), so reusing the key for a different purchase is recognisable while the identical retry
// is not. The total
// follows from these (a price change changes a unit price); it is not hashed itself, because a
// retry re-prices a discount the first attempt already redeemed as used up.

export interface CheckoutRequest {
  lines: readonly { productId: string; variantId?: string; quantity: number; unitPriceCents: number }[];
  discountCode: string | null;
  currency: string;
  shippingAddress: Readonly<Record<string, string | undefined>>;
  /** Null (as before options existed) leaves the canonical form as it was. */
  shippingOptionId: string | null;
}

/** The request as one string: lines by product id, address fields by name, absent fields dropped. */
export function canonicalCheckout(r: CheckoutRequest): string {
  // Sorted as text ("<id>,<quantity>,<price>"), i.e. by product id (a cart has one line per
  // product, and ids are fixed-length UUIDs: the same order as comparing the ids alone).
  // A variant is named only when it is not its product's default one (whose id is the product's),
  // so the keys of orders placed before variants existed keep their fingerprints.
  const lines = r.lines
    .map((l) =>
      l.variantId !== undefined && l.variantId !== l.productId
        ? [l.productId, l.variantId, l.quantity, l.unitPriceCents]
        : [l.productId, l.quantity, l.unitPriceCents],
    )
    .sort();
  const address = Object.keys(r.shippingAddress)
    .sort()
    .flatMap((k) => {
      const v = r.shippingAddress[k];
      return v === undefined || v === "" ? [] : [[k, v]];
    });
  const shipping = r.shippingOptionId === null ? {} : { shippingOptionId: r.shippingOptionId };
  return JSON.stringify({ lines, discountCode: r.discountCode, currency: r.currency, address, ...shipping });
}

export async function checkoutFingerprint(r: CheckoutRequest): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalCheckout(r)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
