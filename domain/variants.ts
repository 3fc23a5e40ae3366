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

export interface GridOption {
  name: string;
  values: readonly string[];
}

export interface GridVariant {
  sku: string;
  optionValues: readonly string[];
}

/**
 * Why a grid of options and variants cannot be saved, or null when it can: at most three options
 * with distinct names and values; every variant gives one value of each option, in order; no two
 * variants share a combination or a SKU. A product without options has one variant and no values.
 */
export function gridProblem(options: readonly GridOption[], variants: readonly GridVariant[]): string | null {
  if (options.length > MAX_OPTIONS) return `A product has at most ${MAX_OPTIONS} options.`;
  if (new Set(options.map((o) => o.name.toLowerCase())).size !== options.length) return "Two options have the same name.";
  for (const o of options) {
    if (o.values.length === 0) return `Option "${o.name}" has no values.`;
    if (new Set(o.values).size !== o.values.length) return `Option "${o.name}" lists a value twice.`;
  }
  if (variants.length === 0) return "A product needs at least one variant.";
  if (options.length === 0 && variants.length > 1) return "A product without options is sold as one variant.";
  const combinations = new Set<string>();
  const skus = new Set<string>();
  for (const v of variants) {
    if (v.optionValues.length !== options.length) return `Variant ${v.sku} must give one value for each option.`;
    const unknown = v.optionValues.findIndex((value, i) => !options[i]?.values.includes(value));
    if (unknown >= 0) return `Variant ${v.sku}: "${v.optionValues[unknown]}" is not a value of option "${options[unknown]?.name}".`;
    const key = JSON.stringify(v.optionValues);
    if (combinations.has(key)) return `Two variants are ${variantLabel(v.optionValues)}.`;
    combinations.add(key);
    if (skus.has(v.sku)) return `Two variants have the SKU ${v.sku}.`;
    skus.add(v.sku);
  }
  return null;
}

/** Option values as stored: one per position, "" where the product has no such option. */
export const storedValues = (values: readonly string[]): OptionValues => [values[0] ?? "", values[1] ?? "", values[2] ?? ""];
