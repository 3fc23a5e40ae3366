// Sales aggregates for the back office: each one SQL aggregate over a window of orders, one
// round trip, reading orders by created_at (orders_created_idx).
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { PURCHASED_STATUSES } from "../domain/order-status";
import { DAY_MS } from "../domain/sales";
import type { Db } from "./client";
import { discounts, orderLines, orders, products } from "./schema";

/** Orders created in [from, to). */
export interface Window {
  from: Date;
  to: Date;
}

const inWindow = (w: Window) => and(gte(orders.createdAt, w.from), lt(orders.createdAt, w.to));
// Sold: paid and not cancelled. A cancelled order was refunded; it counts towards the refund rate.
const sold = inArray(orders.status, PURCHASED_STATUSES);
const isCancelled = sql`${orders.status} = 'cancelled'`;
const sumOf = (value: ReturnType<typeof sql>) => sql<number>`coalesce(sum(${value}), 0)`.mapWith(Number);

/**
 * The UTC day (days since the epoch) an order was created on. The divisor is an integer literal,
 * not a parameter: D1 binds JS numbers as REAL, which would make the division fractional.
 */
const utcDay = sql<number>`cast(${orders.createdAt} as integer) / ${sql.raw(String(DAY_MS))}`;

/** Revenue and sold orders per UTC day; days without a sale are absent. */
export const dailySalesQuery = (db: Db, w: Window) =>
  db
    .select({ day: utcDay.mapWith(Number).as("day"), orders: count(), revenueCents: sumOf(sql`${orders.totalCents}`) })
    .from(orders)
    .where(and(inWindow(w), sold))
    .groupBy(utcDay)
    .orderBy(asc(utcDay));

/** Sold orders, revenue, discounts given, tax collected, and the cancelled (refunded) orders beside them. */
export const salesSummaryQuery = (db: Db, w: Window) =>
  db
    .select({
      orders: sumOf(sql`case when ${sold} then 1 else 0 end`),
      revenueCents: sumOf(sql`case when ${sold} then ${orders.totalCents} else 0 end`),
      discountedOrders: sumOf(sql`case when ${sold} and ${orders.discountCents} > 0 then 1 else 0 end`),
      discountCents: sumOf(sql`case when ${sold} then ${orders.discountCents} else 0 end`),
      taxCents: sumOf(sql`case when ${sold} then ${orders.taxCents} else 0 end`),
      refundedOrders: sumOf(sql`case when ${isCancelled} then 1 else 0 end`),
      refundedCents: sumOf(sql`case when ${isCancelled} then ${orders.totalCents} else 0 end`),
    })
    .from(orders)
    .where(inWindow(w));

/** The products that brought the most revenue (line prices before order discounts). */
export const topProductsQuery = (db: Db, w: Window, limit: number) => {
  const revenue = sql<number>`sum(${orderLines.unitPriceCents} * ${orderLines.quantity})`;
  return db
    .select({
      productId: orderLines.productId,
      name: products.name,
      slug: products.slug,
      units: sumOf(sql`${orderLines.quantity}`),
      revenueCents: revenue.mapWith(Number).as("revenue_cents"),
    })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(and(inWindow(w), sold))
    .groupBy(orderLines.productId)
    .orderBy(desc(revenue), asc(orderLines.productId))
    .limit(limit);
};

/**
 * The variants that brought the most revenue: one row per variant sold, named as its order lines
 * recorded it (the label and SKU when sold, whatever they are now).
 */
export const topVariantsQuery = (db: Db, w: Window, limit: number) => {
  const revenue = sql<number>`sum(${orderLines.unitPriceCents} * ${orderLines.quantity})`;
  return db
    .select({
      productId: sql<string>`max(${orderLines.productId})`,
      variantId: orderLines.variantId,
      name: sql<string>`max(${orderLines.name})`,
      variantLabel: sql<string>`max(${orderLines.variantLabel})`,
      sku: sql<string>`max(${orderLines.sku})`,
      units: sumOf(sql`${orderLines.quantity}`),
      revenueCents: revenue.mapWith(Number).as("revenue_cents"),
    })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(and(inWindow(w), sold))
    .groupBy(orderLines.variantId)
    .orderBy(desc(revenue), asc(orderLines.variantId))
    .limit(limit);
};

/** Sold orders per discount code, with what each gave away and its redemption count. */
export const discountUsageQuery = (db: Db, w: Window) =>
  db
    .select({
      code: sql<string>`${orders.discountCode}`,
      orders: count(),
      discountCents: sumOf(sql`${orders.discountCents}`),
      revenueCents: sumOf(sql`${orders.totalCents}`),
      redemptions: sql<number | null>`max(${discounts.redemptions})`,
      maxRedemptions: sql<number | null>`max(${discounts.maxRedemptions})`,
    })
    .from(orders)
    .leftJoin(discounts, eq(discounts.code, orders.discountCode))
    .where(and(inWindow(w), sold, isNotNull(orders.discountCode)))
    .groupBy(orders.discountCode)
    .orderBy(desc(count()), asc(orders.discountCode));
