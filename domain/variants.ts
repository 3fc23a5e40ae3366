// Product options and variants: their statuses, limits, labels and the rules an edit must keep.
export const VARIANT_STATUSES = ["active", "archived"] as const;
export type VariantStatus = (typeof VARIANT_STATUSES)[number];

/** A product has at most this many options (Size, Colour, Material). */
export const MAX_OPTIONS = 3;
/** Values per option, and variants per product: a grid an admin can still edit. */
export const MAX_OPTION_VALUES = 20;
export const MAX_VARIANTS = 100;

/** A variant's option values, as stored: one per option position, "" where there is no option. */
export type OptionValues = readonly [string, string, string];

/** What a customer reads for a variant: its values joined ("M / Blue"); "" for a default variant. */
export const variantLabel = (values: readonly string[]) => values.filter((v) => v !== "").join(" / ");

/** The lowest and highest price among prices; null for none. */
export function priceRange(prices: readonly number[]): { minCents: number; maxCents: number } | null {
  if (prices.length === 0) return null;
  return { minCents: Math.min(...prices), maxCents: Math.max(...prices) };
}
