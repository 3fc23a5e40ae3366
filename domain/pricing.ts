// The price of a cart: subtotal from current prices, discount, shipping, tax, total, and warnings.
import { discountAmount, discountRefusal, type DiscountRefusal, type DiscountRule } from "./discounts";
import { cartWeight, chooseQuote, quoteOptions, type ShippingOption } from "./shipping";
import { shortStock, type StockStatus } from "./stock";
import { taxCart, type TaxRule } from "./tax";

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

/** Prices a cart; each priced line keeps whatever else its input line carried (a slug, say). */
export function priceCart<L extends PricedLineInput>(input: {
  lines: readonly L[];
  discount: (DiscountRule & { code: string }) | null;
  usedByCustomer: boolean;
  /** The destination zone's options, and the one the customer chose (none: the cheapest). */
  shipping: { options: readonly ShippingOption[]; requestedId?: string | undefined };
  /** The destination's tax (domain/tax.ts); NO_TAX where none is configured. */
  tax: TaxRule;
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
  // An invalid weight (negative, fractional, absurd) leaves no option that applies.
  const weightGrams = cartWeight(lines);
  const shippingOptions =
    weightGrams === null
      ? []
      : quoteOptions(input.shipping.options, {
          discountedSubtotalCents: subtotalCents - discountCents,
          weightGrams,
          hasLines: lines.length > 0,
        });
  const shipping = chooseQuote(shippingOptions, input.shipping.requestedId);
  const shippingCents = shipping?.priceCents ?? 0;
  const taxed = taxCart({ lineAmountsCents: lines.map((l) => l.lineTotalCents), discountCents, shippingCents, rule: input.tax });
  return {
    lines: lines.map((l, i) => ({ ...l, taxCents: taxed.lines[i]?.taxCents ?? 0 })),
    subtotalCents,
    discountCents,
    shippingCents,
    /** The option charged, or null when none applies (or the one asked for does not). */
    shippingOptionId: shipping?.id ?? null,
    shippingOptions,
    taxCents: taxed.taxCents,
    shippingTaxCents: taxed.shippingTaxCents,
    taxInclusive: taxed.taxInclusive,
    totalCents: taxed.totalCents,
    appliedCode,
    warnings,
    /** True when every line can be bought as it stands. */
    purchasable: lines.length > 0 && lines.every((l) => l.active && l.stock >= l.quantity),
  };
}
