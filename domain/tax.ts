// Tax on a priced cart: rates in basis points, inclusive (VAT) or exclusive (sales tax), per line.
//
// Money is integer minor units throughout; a rate is an integer of basis points (1 % = 100 bp,
// California's 7.25 % = 725 bp), so every step is integer arithmetic and a division rounded once.
//
// Rounding: half-up (a half cent goes to the larger amount), applied once per line and once for
// shipping; the order's tax is the sum of those. Half-up rather than half-even because it is what
// the tax authorities whose rules we model prescribe for an invoice line (HMRC's "round to the
// nearest penny", Germany's commercial rounding, the US states' "one-half cent or more is rounded
// up"); half-even only removes a statistical bias across many roundings, which a receipt that must
// match the authority's arithmetic cannot use.
//
// Discounts: tax is on the discounted amount. An order-level discount is spread over the lines in
// proportion to their amounts (largest-remainder: each line gets the floor of its share, and the
// cents left over go one each to the lines with the largest remainders, earlier lines first on a
// tie), so the lines' discounts sum to the discount exactly. Shipping is never discounted.

export const TAX_MODES = ["inclusive", "exclusive"] as const;
export type TaxMode = (typeof TAX_MODES)[number];

/** What a destination's tax authority asks: the rate, whether prices include it, whether shipping is taxed. */
export interface TaxRule {
  rateBasisPoints: number;
  mode: TaxMode;
  taxShipping: boolean;
}

/** No tax: where no rate is configured (the default region). */
export const NO_TAX: TaxRule = { rateBasisPoints: 0, mode: "exclusive", taxShipping: false };

/** A rate above 100 % is a typing mistake, not a tax. */
export const MAX_RATE_BASIS_POINTS = 10_000;

export const isValidRule = (rule: TaxRule) =>
  Number.isInteger(rule.rateBasisPoints) && rule.rateBasisPoints >= 0 && rule.rateBasisPoints <= MAX_RATE_BASIS_POINTS;

/** numerator / denominator for non-negative integers, rounded half-up. */
export function divideHalfUp(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

/** The tax added to a net amount (sales tax). */
export const exclusiveTax = (netCents: number, rateBasisPoints: number) => divideHalfUp(netCents * rateBasisPoints, 10_000);

/** The tax contained in a gross amount (VAT): gross − round(gross / (1 + rate)). */
export const inclusiveTax = (grossCents: number, rateBasisPoints: number) =>
  grossCents - divideHalfUp(grossCents * 10_000, 10_000 + rateBasisPoints);

/** The tax on an amount under a rule: contained in it (inclusive) or added to it (exclusive). */
export const taxOn = (amountCents: number, rule: TaxRule) =>
  rule.mode === "inclusive" ? inclusiveTax(amountCents, rule.rateBasisPoints) : exclusiveTax(amountCents, rule.rateBasisPoints);

/**
 * `totalCents` spread over `weights` in proportion (largest remainder): the parts sum to the
 * total exactly, and no part exceeds its weight when the total does not exceed their sum.
 */
export function allocate(totalCents: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) return weights.map(() => 0);
  const shares = weights.map((w, index) => {
    const exact = totalCents * w;
    const floor = Math.floor(exact / sum);
    return { index, floor, remainder: exact - floor * sum };
  });
  let left = totalCents - shares.reduce((s, x) => s + x.floor, 0);
  const parts = shares.map((x) => x.floor);
  for (const x of [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index)) {
    if (left === 0) break;
    parts[x.index] = (parts[x.index] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

export interface TaxedCart {
  /** Per line, in the input's order: its share of the discount, the amount taxed, the tax. */
  lines: { discountCents: number; taxableCents: number; taxCents: number }[];
  shippingTaxCents: number;
  /** Lines' tax plus shipping's tax. */
  taxCents: number;
  taxInclusive: boolean;
  /** What the customer pays: inclusive tax is already in the prices; exclusive tax is added. */
  totalCents: number;
}

/** Taxes a cart's line amounts (unit price × quantity), its discount and its shipping under one rule. */
export function taxCart(input: {
  lineAmountsCents: readonly number[];
  discountCents: number;
  shippingCents: number;
  rule: TaxRule;
}): TaxedCart {
  const { rule } = input;
  const discounts = allocate(input.discountCents, input.lineAmountsCents);
  const lines = input.lineAmountsCents.map((amount, i) => {
    const discountCents = discounts[i] ?? 0;
    const taxableCents = amount - discountCents;
    return { discountCents, taxableCents, taxCents: taxOn(taxableCents, rule) };
  });
  const shippingTaxCents = rule.taxShipping ? taxOn(input.shippingCents, rule) : 0;
  const taxCents = lines.reduce((s, l) => s + l.taxCents, 0) + shippingTaxCents;
  const subtotal = input.lineAmountsCents.reduce((s, a) => s + a, 0);
  const beforeTax = subtotal - input.discountCents + input.shippingCents;
  const inclusive = rule.mode === "inclusive";
  return { lines, shippingTaxCents, taxCents, taxInclusive: inclusive, totalCents: inclusive ? beforeTax : beforeTax + taxCents };
}
