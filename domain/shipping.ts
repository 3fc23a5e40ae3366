// Shipping zones and options: which zone a country is in, and what each of its options costs.
//
// A zone is a set of countries; one zone may be the default, covering every country no other zone
// lists (the flat policy the shop had before zones is that default's one option). An option's rate
// is flat or by the cart's total weight in bands (the first band whose upper bound holds the weight;
// past the last band the option does not apply), and is free once the discounted subtotal reaches
// its threshold, if it has one.

export const SHIPPING_RATE_KINDS = ["flat", "weight"] as const;
export type ShippingRateKind = (typeof SHIPPING_RATE_KINDS)[number];

export interface WeightBand {
  /** Inclusive upper bound of the cart's weight in grams. */
  upToGrams: number;
  cents: number;
}

export type ShippingRate = { kind: "flat"; cents: number } | { kind: "weight"; bands: readonly WeightBand[] };

export interface ShippingZone {
  id: string;
  countries: readonly string[];
  isDefault: boolean;
}

export interface ShippingOption {
  id: string;
  zoneId: string;
  name: string;
  rate: ShippingRate;
  /** Free once the discounted subtotal reaches this; null: never free. */
  freeFromCents: number | null;
  minDays: number;
  maxDays: number;
}

export interface ShippingQuote {
  id: string;
  name: string;
  priceCents: number;
  estimatedDays: { min: number; max: number };
}

/** One item heavier than this (a tonne) is a data mistake, not a parcel. */
export const MAX_ITEM_WEIGHT_GRAMS = 1_000_000;

/** The zone that ships to a country: the one listing it, else the default, else none. */
export function zoneFor<Z extends ShippingZone>(zones: readonly Z[], country: string): Z | null {
  return zones.find((z) => z.countries.includes(country)) ?? zones.find((z) => z.isDefault) ?? null;
}

const validWeight = (grams: number) => Number.isInteger(grams) && grams >= 0 && grams <= MAX_ITEM_WEIGHT_GRAMS;

/** The cart's weight in grams, or null when a line's weight is negative, fractional or absurd. */
export function cartWeight(lines: readonly { weightGrams: number; quantity: number }[]): number | null {
  if (!lines.every((l) => validWeight(l.weightGrams))) return null;
  return lines.reduce((sum, l) => sum + l.weightGrams * l.quantity, 0);
}

/** An option's price for a cart, or null when no weight band holds the cart's weight. */
export function optionPrice(option: ShippingOption, cart: { discountedSubtotalCents: number; weightGrams: number }): number | null {
  const { rate } = option;
  let cents: number;
  if (rate.kind === "flat") cents = rate.cents;
  else {
    const band = [...rate.bands].sort((a, b) => a.upToGrams - b.upToGrams).find((b) => cart.weightGrams <= b.upToGrams);
    if (!band) return null;
    cents = band.cents;
  }
  return option.freeFromCents !== null && cart.discountedSubtotalCents >= option.freeFromCents ? 0 : cents;
}

/**
 * The options that apply to a cart, cheapest first (ties in the given order). An empty cart ships
 * nothing: every option is free.
 */
export function quoteOptions(
  options: readonly ShippingOption[],
  cart: { discountedSubtotalCents: number; weightGrams: number; hasLines: boolean },
): ShippingQuote[] {
  const quotes: ShippingQuote[] = [];
  for (const option of options) {
    const price = cart.hasLines ? optionPrice(option, cart) : 0;
    if (price === null) continue;
    quotes.push({ id: option.id, name: option.name, priceCents: price, estimatedDays: { min: option.minDays, max: option.maxDays } });
  }
  return quotes
    .map((q, i) => ({ q, i }))
    .sort((a, b) => a.q.priceCents - b.q.priceCents || a.i - b.i)
    .map(({ q }) => q);
}

/**
 * The quote a checkout uses: the one asked for, or without a request the cheapest (clients written
 * before options existed send none). Null when the one asked for does not apply here.
 */
export function chooseQuote(quotes: readonly ShippingQuote[], requestedId: string | undefined): ShippingQuote | null {
  if (requestedId === undefined) return quotes[0] ?? null;
  return quotes.find((q) => q.id === requestedId) ?? null;
}
