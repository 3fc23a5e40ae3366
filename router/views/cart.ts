// The CartView that clients see, from the cart's rows priced by services/cart-pricing.
import * as z from "zod";
import { DISCOUNT_REFUSALS } from "../../domain/discounts";
import type { CartWarning } from "../../domain/pricing";
import { STOCK_STATUSES, stockStatus } from "../../domain/stock";
import type { CartRows } from "../../db/carts";
import type { AppConfig } from "../../lib/config";
import { priceCartRows, type Destination } from "../../services/cart-pricing";
import { Totals } from "./common";

const CartWarning = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("price_changed"), productId: z.string(), variantId: z.string(), fromCents: z.number(), toCents: z.number() }),
  // The stock status, and a quantity only within the low band: never the stock count (domain/stock).
  z.object({
    kind: z.literal("out_of_stock"),
    productId: z.string(),
    variantId: z.string(),
    stockStatus: z.enum(STOCK_STATUSES),
    maxQuantity: z.number().int().optional(),
  }),
  z.object({ kind: z.literal("unavailable"), productId: z.string(), variantId: z.string() }),
  z.object({ kind: z.literal("discount_removed"), reason: z.enum(DISCOUNT_REFUSALS) }),
]) satisfies z.ZodType<CartWarning>;

export const CartView = z.object({
  lines: z.array(
    z.object({
      productId: z.string(),
      variantId: z.string(),
      slug: z.string(),
      name: z.string(),
      /** The variant's option values ("M / Blue"); "" for a product sold as one variant. */
      variantLabel: z.string(),
      sku: z.string(),
      unitPriceCents: z.number().int(),
      quantity: z.number().int(),
      lineTotalCents: z.number().int(),
      taxCents: z.number().int(),
      stockStatus: z.enum(STOCK_STATUSES),
    }),
  ),
  ...Totals,
  warnings: z.array(CartWarning),
});

/**
 * The cart priced by the context's clock (a discount's dates are judged against it), for a
 * destination when the caller names one (no destination: the default zone, no tax).
 */
export function toCartView(
  cart: CartRows,
  { config, now }: { config: AppConfig; now: () => number },
  destination?: Destination,
): z.infer<typeof CartView> {
  const priced = priceCartRows(cart, config, new Date(now()), destination);
  return {
    lines: priced.lines.map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      slug: l.slug,
      name: l.name,
      variantLabel: l.variantLabel,
      sku: l.sku,
      unitPriceCents: l.unitPriceCents,
      quantity: l.quantity,
      lineTotalCents: l.lineTotalCents,
      taxCents: l.taxCents,
      stockStatus: stockStatus(l.active ? l.stock : 0, config.lowStockThreshold),
    })),
    currency: config.currency,
    subtotalCents: priced.subtotalCents,
    discountCents: priced.discountCents,
    shippingCents: priced.shippingCents,
    taxCents: priced.taxCents,
    taxInclusive: priced.taxInclusive,
    shippingOptionId: priced.shippingOptionId,
    totalCents: priced.totalCents,
    discountCode: priced.appliedCode,
    warnings: priced.warnings,
  };
}
