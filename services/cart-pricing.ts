// A cart's rows priced by the domain's rules (domain/pricing), as cart views and checkout need them.
import { priceCart } from "../domain/pricing";
import { refuse } from "../domain/refusals";
import { NO_TAX } from "../domain/tax";
import { variantLabel } from "../domain/variants";
import type { CartDiscountRow, CartRows } from "../db/carts";
import type { AppConfig } from "../lib/config";
import { tableTaxProvider, type TaxProvider } from "./tax";

export const toDiscountRule = (row: CartDiscountRow) => ({
  code: row.code,
  kind: row.kind,
  value: row.value,
  minSubtotalCents: row.minSubtotalCents,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  maxRedemptions: row.maxRedemptions,
  redemptions: row.redemptions,
  onePerCustomer: row.onePerCustomer,
  active: row.active,
});

/**
 * Where the cart goes, as far as the caller knows it: no country prices for the default zone
 * without tax. `requireRegion` (checkout): a country taxed per state needs a known state.
 */
export interface Destination {
  country: string | null;
  region?: string | undefined;
  shippingOptionId?: string | undefined;
  requireRegion?: boolean;
}

/**
 * Priced at `now`, the caller's clock (deps.now): a discount's dates are judged against it.
 * Refuses (`unknown_region`) a destination whose tax cannot be decided.
 */
export function priceCartRows(
  { lines, discount, destination: rows }: CartRows,
  config: AppConfig,
  now: Date,
  destination: Destination = { country: null },
  taxes: TaxProvider = tableTaxProvider,
) {
  const { country } = destination;
  const tax =
    country === null
      ? NO_TAX
      : taxes.ruleFor({ country, region: destination.region, rates: rows.taxRates }, { requireRegion: destination.requireRegion ?? false });
  if (tax === "unknown_region") {
    throw refuse("rejected_input", "Name the state or region of the address with its two-letter code (for example CA).", "unknown_region");
  }
  return priceCart({
    lines: lines.map((l) => ({
      slug: l.slug,
      productId: l.productId,
      variantId: l.variantId,
      variantLabel: variantLabel([l.option1, l.option2, l.option3]),
      sku: l.sku,
      name: l.name,
      unitPriceCents: l.unitPriceCents,
      addedPriceCents: l.addedPriceCents,
      quantity: l.quantity,
      stock: l.stock,
      active: l.status === "active",
      weightGrams: l.weightGrams ?? 0,
    })),
    discount: discount ? toDiscountRule(discount) : null,
    usedByCustomer: (discount?.usedByCustomer ?? 0) > 0,
    shipping: { options: rows.options, requestedId: destination.shippingOptionId },
    tax,
    lowStockThreshold: config.lowStockThreshold,
    now,
  });
}
