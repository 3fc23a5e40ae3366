// The price of a cart: subtotal from current prices, discount, shipping, total, and warnings.
import { discountAmount, discountRefusal, type DiscountRefusal, type DiscountRule } from "./discounts";
import { shortStock, type StockStatus } from "./stock";

export interface ShippingPolicy {
  flatCents: number;
  freeFromCents: number;
}

export interface PricedLineInput {
  productId: string;
  /** The variant sold: price and stock are its own. */
  variantId: string;
  name: string;
  unitPriceCents: number;
  addedPriceCents: number;
  quantity: number;
  stock: number;
  active: boolean;
  /** The variant's weight, 0 when unknown (for shipping by weight). */
  weightGrams: number;
}

export type CartWarning =
  | { kind: "price_changed"; productId: string; variantId: string; fromCents: number; toCents: number }
  // Never the stock count: see shortStock.
  | { kind: "out_of_stock"; productId: string; variantId: string; stockStatus: StockStatus; maxQuantity?: number }
  | { kind: "unavailable"; productId: string; variantId: string }
  | { kind: "discount_removed"; reason: DiscountRefusal };

/** Shipping is flat, and free once the discounted subtotal reaches the threshold. */
export const shippingFor = (policy: ShippingPolicy, discountedSubtotalCents: number, hasLines: boolean) =>
  !hasLines || discountedSubtotalCents >= policy.freeFromCents ? 0 : policy.flatCents;

/** Prices a cart; each priced line keeps whatever else its input line carried (a slug, say). */
export function priceCart<L extends PricedLineInput>(input: {
  lines: readonly L[];
  discount: (DiscountRule & { code: string }) | null;
  usedByCustomer: boolean;
  shipping: ShippingPolicy;
  /** Stock at or below this shows as "low" (LOW_STOCK_THRESHOLD). */
  lowStockThreshold: number;
  now: Date;
}) {
  const warnings: CartWarning[] = [];
  const lines = input.lines.map((l) => {
    const line = { productId: l.productId, variantId: l.variantId };
    if (!l.active) warnings.push({ kind: "unavailable", ...line });
    else if (l.stock < l.quantity) warnings.push({ kind: "out_of_stock", ...line, ...shortStock(l.stock, input.lowStockThreshold) });
    if (l.unitPriceCents !== l.addedPriceCents) {
      warnings.push({ kind: "price_changed", ...line, fromCents: l.addedPriceCents, toCents: l.unitPriceCents });
    }
    return { ...l, lineTotalCents: l.unitPriceCents * l.quantity };
  });
  const subtotalCents = lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
  let discountCents = 0;
  let appliedCode: string | null = null;
  if (input.discount) {
    const refusal = discountRefusal(input.discount, { subtotalCents, now: input.now, usedByCustomer: input.usedByCustomer });
    if (refusal) warnings.push({ kind: "discount_removed", reason: refusal });
    else {
      discountCents = discountAmount(input.discount, subtotalCents);
      appliedCode = input.discount.code;
    }
  }
  const shippingCents = shippingFor(input.shipping, subtotalCents - discountCents, lines.length > 0);
  return {
    lines,
    subtotalCents,
    discountCents,
    shippingCents,
    totalCents: subtotalCents - discountCents + shippingCents,
    appliedCode,
    warnings,
    /** True when every line can be bought as it stands. */
    purchasable: lines.length > 0 && lines.every((l) => l.active && l.stock >= l.quantity),
  };
}
