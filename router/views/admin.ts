// What administrators see: products, discounts, orders with customer, payment and history, users, sales.
import * as z from "zod";
import { PRODUCT_STATUSES } from "../../domain/catalog";
import { DISCOUNT_KINDS } from "../../domain/discounts";
import { ORDER_STATUSES } from "../../domain/order-status";
import { PAYMENT_STATUSES } from "../../domain/payments";
import { ROLES } from "../../domain/roles";
import type { AdminOrderDetailRow } from "../../db/admin";
import type { OrderWithCustomer } from "../../db/order-list";
import type { Product } from "../../db/schema";
import { byCreation, toPage } from "./common";
import { OrderView, toOrderView } from "./order";

export const AdminProduct = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  categoryId: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
  status: z.enum(PRODUCT_STATUSES),
  createdAt: z.date(),
  updatedAt: z.date().nullable(),
});

export const toAdminProduct = (p: Product): z.infer<typeof AdminProduct> => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  description: p.description,
  categoryId: p.categoryId,
  priceCents: p.priceCents,
  currency: p.currency,
  stock: p.stock,
  status: p.status,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

/** A product in the back office's list: its category's slug too, for the edit form. */
export const AdminProductListItem = AdminProduct.extend({ category: z.string() });

export const DiscountView = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.enum(DISCOUNT_KINDS),
  value: z.number().int(),
  minSubtotalCents: z.number().int().nullable(),
  startsAt: z.date().nullable(),
  endsAt: z.date().nullable(),
  maxRedemptions: z.number().int().nullable(),
  redemptions: z.number().int(),
  onePerCustomer: z.boolean(),
  active: z.boolean(),
  createdAt: z.date(),
});

const Customer = z.object({ id: z.string(), email: z.string(), name: z.string() });

/** An order as the back office lists it: who bought it and where its payment stands. */
export const AdminOrderView = OrderView.extend({ customer: Customer });

export const toAdminOrderView = (o: OrderWithCustomer): z.infer<typeof AdminOrderView> => ({
  ...toOrderView(o),
  customer: o.customer,
});

export function adminOrderPage(rows: OrderWithCustomer[], limit: number) {
  const { items, nextCursor } = toPage(rows, limit, byCreation);
  return { items: items.map(toAdminOrderView), nextCursor };
}

/** One order in full: every payment attempt and each state it went through, with who moved it. */
export const AdminOrderDetail = AdminOrderView.extend({
  payments: z.array(
    z.object({
      id: z.string(),
      provider: z.string(),
      amountCents: z.number().int(),
      status: z.enum(PAYMENT_STATUSES),
      createdAt: z.date(),
    }),
  ),
  history: z.array(
    z.object({
      from: z.enum(ORDER_STATUSES).nullable(),
      to: z.enum(ORDER_STATUSES),
      at: z.date(),
      actor: z.object({ id: z.string(), email: z.string() }).nullable(),
    }),
  ),
});

export const toAdminOrderDetail = (o: AdminOrderDetailRow): z.infer<typeof AdminOrderDetail> => ({
  ...toAdminOrderView(o),
  payments: o.payments.map((p) => ({
    id: p.id,
    provider: p.provider,
    amountCents: p.amountCents,
    status: p.status,
    createdAt: p.createdAt,
  })),
  history: o.history.map((h) => ({ from: h.event.fromStatus, to: h.event.toStatus, at: h.event.createdAt, actor: h.actor })),
});

export const AdminUserView = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES), createdAt: z.date() });

// ---- sales ----------------------------------------------------------------------------------

export const SalesInput = z.object({ days: z.number().int().min(1).max(90).default(30) }).default({ days: 30 });

export const DailySales = z.object({
  from: z.date(),
  to: z.date(),
  days: z.array(z.object({ date: z.iso.date(), orders: z.number().int(), revenueCents: z.number().int() })),
});

export const SalesSummary = z.object({
  from: z.date(),
  to: z.date(),
  currency: z.string(),
  orders: z.number().int(),
  revenueCents: z.number().int(),
  /** Revenue over sold orders, rounded to a cent; 0 without orders. */
  averageOrderCents: z.number().int(),
  discountedOrders: z.number().int(),
  discountCents: z.number().int(),
  /** Tax collected on sold orders (inclusive tax is inside revenue; so is exclusive tax, as charged). */
  taxCents: z.number().int(),
  refundedOrders: z.number().int(),
  refundedCents: z.number().int(),
  /** Refunded orders over every order that was paid (sold + refunded); 0 without any. */
  refundRate: z.number().min(0).max(1),
});

export const TopProducts = z.array(
  z.object({ productId: z.string(), name: z.string(), slug: z.string(), units: z.number().int(), revenueCents: z.number().int() }),
);

export const TopVariants = z.array(
  z.object({
    productId: z.string(),
    variantId: z.string(),
    name: z.string(),
    /** As recorded on the order lines ("M / Blue"; "" for a product sold as one variant). */
    variantLabel: z.string(),
    sku: z.string(),
    units: z.number().int(),
    revenueCents: z.number().int(),
  }),
);

export const DiscountUsage = z.array(
  z.object({
    code: z.string(),
    orders: z.number().int(),
    discountCents: z.number().int(),
    revenueCents: z.number().int(),
    redemptions: z.number().int().nullable(),
    maxRedemptions: z.number().int().nullable(),
  }),
);
