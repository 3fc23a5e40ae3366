// The OrderView clients see, and the shipping address checkout takes.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { ORDER_PAYMENT_STATUSES, orderPaymentStatus } from "../../domain/order-payment";
import { ORDER_STATUSES } from "../../domain/order-status";
import { isCountryCode } from "../../domain/regions";
import type { OrderAndLines } from "../../db/orders";
import { byCreation, Timestamp, toPage, Totals } from "./common";

const line = (max: number) => z.string().trim().min(1).max(max);

export const ShippingAddress = z.object({
  name: line(100),
  line1: line(200),
  line2: z.string().trim().max(200).optional(),
  city: line(100),
  region: z.string().trim().max(100).optional(),
  postalCode: line(20),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, "Use a two-letter ISO country code."),
});

/**
 * The address checkout takes: a known country code and, where tax is set per state (the US), a
 * known state code if a region is given (services/tax.ts). Stored orders are read back with the
 * looser ShippingAddress, so an order placed before these checks still reads.
 */
export const CheckoutAddress = ShippingAddress.extend({
  // One check, so a bad code is one issue on the field (not the format's and the list's).
  country: z.string().trim().refine(isCountryCode, "Use a two-letter ISO country code."),
});

/** A destination a cart is priced for before checkout. */
export const DestinationInput = {
  country: CheckoutAddress.shape.country,
  region: z.string().trim().max(100).optional(),
};

export const OrderView = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  ...Totals,
  shippingAddress: ShippingAddress,
  /** Null when no payment stands: it failed or was released (domain/order-payment.ts). */
  payment: z.object({ status: z.enum(ORDER_PAYMENT_STATUSES) }).nullable(),
  lines: z.array(
    z.object({
      productId: z.string(),
      variantId: z.string(),
      name: z.string(),
      /** The variant's option values when ordered ("M / Blue"); "" for a product sold as one variant. */
      variantLabel: z.string(),
      sku: z.string(),
      unitPriceCents: z.number().int(),
      quantity: z.number().int(),
      taxCents: z.number().int(),
    }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp.nullable(),
});

/** A printable receipt: the order and the shop's legal details (lib/config: SHOP_NAME, SHOP_ADDRESS, SHOP_TAX_ID). */
export const ReceiptView = z.object({
  order: OrderView,
  shop: z.object({ name: z.string(), address: z.array(z.string()), taxId: z.string().nullable() }),
});

function paymentView(payment: OrderAndLines["payment"]) {
  const status = orderPaymentStatus(payment);
  return status ? { status } : null;
}

export const toOrderView = (o: OrderAndLines): z.infer<typeof OrderView> => ({
  id: o.id,
  status: o.status,
  currency: o.currency,
  subtotalCents: o.subtotalCents,
  discountCents: o.discountCents,
  shippingCents: o.shippingCents,
  taxCents: o.taxCents,
  taxInclusive: o.taxInclusive,
  shippingOptionId: o.shippingOptionId,
  totalCents: o.totalCents,
  discountCode: o.discountCode,
  shippingAddress: ShippingAddress.parse(o.shippingAddress),
  payment: paymentView(o.payment),
  // Ordered by product id and variant id, as stored, so every read of an order lists its lines alike.
  lines: [...o.lines]
    .sort((a, b) => compareText(a.productId, b.productId) || compareText(a.variantId, b.variantId))
    .map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      name: l.name,
      variantLabel: l.variantLabel,
      sku: l.sku,
      unitPriceCents: l.unitPriceCents,
      quantity: l.quantity,
      taxCents: l.taxCents,
    })),
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
});

/** Someone else's order is indistinguishable from a missing one. */
export const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Order not found." });

export function orderPage(rows: OrderAndLines[], limit: number) {
  const { items, nextCursor } = toPage(rows, limit, byCreation);
  return { items: items.map(toOrderView), nextCursor };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
