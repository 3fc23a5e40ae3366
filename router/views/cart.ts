// Turns cart rows into a priced cart (domain/pricing) and the CartView that clients see.
import * as z from "zod";
import { DISCOUNT_REFUSALS } from "../../domain/discounts";
import { priceCart, type CartWarning } from "../../domain/pricing";
import { STOCK_STATUSES, stockStatus } from "../../domain/stock";
import type { CartDiscountRow, CartLineRow } from "../../db/carts";
import type { AppConfig } from "../../lib/config";
import { Totals } from "./common";

export const toDiscountRule = (row: CartDiscountRow) => ({
  code: row.code,
  kind: row.kind,
  value: row.value,
  minSubtotalCents: row.minSubtotalCents,
  startsAt: row.startsAt === null ? null : new Date(row.startsAt),
  endsAt: row.endsAt === null ? null : new Date(row.endsAt),
  maxRedemptions: row.maxRedemptions,
  redemptions: row.redemptions,
  onePerCustomer: row.onePerCustomer === 1,
  active: row.active === 1,
});

export function priceCartRows(lines: CartLineRow[], discount: CartDiscountRow | null, config: AppConfig, now = new Date()) {
  return priceCart({
    lines: lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      unitPriceCents: l.unitPriceCents,
      addedPriceCents: l.addedPriceCents,
      quantity: l.quantity,
      stock: l.stock,
      active: l.status === "active",
    })),
    discount: discount ? toDiscountRule(discount) : null,
    usedByCustomer: (discount?.usedByCustomer ?? 0) > 0,
    shipping: config.shipping,
    now,
  });
}

const CartWarning = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("price_changed"), productId: z.string(), fromCents: z.number(), toCents: z.number() }),
  z.object({ kind: z.literal("out_of_stock"), productId: z.string(), available: z.number() }),
  z.object({ kind: z.literal("unavailable"), productId: z.string() }),
  z.object({ kind: z.literal("discount_removed"), reason: z.enum(DISCOUNT_REFUSALS) }),
]) satisfies z.ZodType<CartWarning>;

export const CartView = z.object({
  lines: z.array(
    z.object({
      productId: z.string(),
      slug: z.string(),
      name: z.string(),
      unitPriceCents: z.number().int(),
      quantity: z.number().int(),
      lineTotalCents: z.number().int(),
      stockStatus: z.enum(STOCK_STATUSES),
    }),
  ),
  ...Totals,
  warnings: z.array(CartWarning),
});

export function toCartView(lines: CartLineRow[], discount: CartDiscountRow | null, config: AppConfig): z.infer<typeof CartView> {
  const priced = priceCartRows(lines, discount, config);
  return {
    lines: lines.map((l, i) => ({
      productId: l.productId,
      slug: l.slug,
      name: l.name,
      unitPriceCents: l.unitPriceCents,
      quantity: l.quantity,
      lineTotalCents: priced.lines[i].lineTotalCents,
      stockStatus: stockStatus(l.status === "active" ? l.stock : 0, config.lowStockThreshold),
    })),
    currency: config.currency,
    subtotalCents: priced.subtotalCents,
    discountCents: priced.discountCents,
    shippingCents: priced.shippingCents,
    totalCents: priced.totalCents,
    discountCode: priced.appliedCode,
    warnings: priced.warnings,
  };
}
