// A cart's rows priced by the domain's rules (domain/pricing), as cart views and checkout need them.
import { priceCart } from "../domain/pricing";
import { variantLabel } from "../domain/variants";
import type { CartDiscountRow, CartRows } from "../db/carts";
import type { AppConfig } from "../lib/config";

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

/** Priced at `now`, the caller's clock (deps.now): a discount's dates are judged against it. */
export function priceCartRows({ lines, discount }: CartRows, config: AppConfig, now: Date) {
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
    shipping: config.shipping,
    lowStockThreshold: config.lowStockThreshold,
    now,
  });
}
