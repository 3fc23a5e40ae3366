// Order lists, newest first, each order with its lines and standing payment, in one round trip:
// a customer's own orders (orders.list) and the back office's (admin.orders.list: filters, search
// by order id or email, each order's customer), from one query with options.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Cursor } from "../domain/cursor";
import type { OrderStatus } from "../domain/order-status";
import type { PaymentStatus } from "../domain/payments";
import { adminOrderFields, startsWith } from "./admin";
import type { Db } from "./client";
import { olderThan } from "./keyset";
import type { OrderWithLines } from "./orders";
import { orderLines, orders, payments, users, type Payment } from "./schema";

export interface OrderListFilter {
  userId?: string;
  status?: OrderStatus;
  /** Orders with a payment in this state. */
  paymentStatus?: PaymentStatus;
  /** An order id (or its first characters), or a customer's email (or its first characters). */
  search?: string;
}

export interface OrderListOptions {
  /** Each order's customer (id, email, name), as the back office lists them. */
  withCustomer?: boolean;
}

/** An order as the back office lists it: with its lines, payment and customer. */
export type OrderWithCustomer = OrderWithLines & { customer: Pick<typeof users.$inferSelect, "id" | "email" | "name"> };

/** The latest payment of each order, from rows of several orders' payments newest first. */
function latestPayments(rows: Payment[]) {
  const byOrder = new Map<string, Payment>();
  for (const p of rows) if (!byOrder.has(p.orderId)) byOrder.set(p.orderId, p);
  return byOrder;
}

/** The ids of the page's orders (one more than `limit`, to tell whether a next page exists). */
function pageIds(db: Db, filter: OrderListFilter, cursor: Cursor | null, limit: number, joinCustomers: boolean) {
  const search = filter.search?.trim().toLowerCase();
  // Emails are stored lower-case; an order id never contains "@".
  const byEmail = search?.includes("@") ?? false;
  const conditions = [
    filter.userId ? eq(orders.userId, filter.userId) : undefined,
    filter.status ? eq(orders.status, filter.status) : undefined,
    search ? (byEmail ? startsWith(users.email, search) : startsWith(orders.id, search)) : undefined,
    // Rare states (refund_failed, disputed) are found through payments_status_idx, not by walking orders.
    filter.paymentStatus
      ? inArray(orders.id, db.select({ id: payments.orderId }).from(payments).where(eq(payments.status, filter.paymentStatus)))
      : undefined,
    olderThan(orders.createdAt, orders.id, cursor),
  ];
  const ids = db.select({ id: orders.id }).from(orders).$dynamic();
  // The customers' table only where it is read: the back office's list (whose rows join it) or a
  // search by email.
  return (joinCustomers || byEmail ? ids.innerJoin(users, eq(users.id, orders.userId)) : ids)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
}

/** The lines and payments of the page's orders. */
function pageDetails(db: Db, page: ReturnType<typeof pageIds>) {
  return [
    db.select().from(orderLines).where(inArray(orderLines.orderId, page)).orderBy(orderLines.productId, orderLines.variantId),
    db.select().from(payments).where(inArray(payments.orderId, page)).orderBy(desc(payments.createdAt), desc(payments.id)),
  ] as const;
}

/** The queries behind a customer's listOrders, unexecuted (their rows read are bounded in test/scale.test.ts). */
export function orderPageQueries(db: Db, filter: OrderListFilter, cursor: Cursor | null, limit: number) {
  const page = pageIds(db, filter, cursor, limit, false);
  return [
    db.select().from(orders).where(inArray(orders.id, page)).orderBy(desc(orders.createdAt), desc(orders.id)),
    ...pageDetails(db, page),
  ] as const;
}

/** Orders newest first with their lines and latest payment (the one that stands), and with `withCustomer` their customer. */
export function listOrders(
  db: Db,
  filter: OrderListFilter,
  cursor: Cursor | null,
  limit: number,
  options: OrderListOptions & { withCustomer: true },
): Promise<OrderWithCustomer[]>;
export function listOrders(
  db: Db,
  filter: OrderListFilter,
  cursor: Cursor | null,
  limit: number,
  options?: OrderListOptions,
): Promise<OrderWithLines[]>;
export async function listOrders(
  db: Db,
  filter: OrderListFilter,
  cursor: Cursor | null,
  limit: number,
  options: OrderListOptions = {},
): Promise<OrderWithLines[]> {
  if (!options.withCustomer) {
    const [rows, lines, paymentRows] = await db.batch(orderPageQueries(db, filter, cursor, limit));
    const latest = latestPayments(paymentRows);
    return rows.map((o) => ({ ...o, lines: lines.filter((l) => l.orderId === o.id), payment: latest.get(o.id) ?? null }));
  }
  const page = pageIds(db, filter, cursor, limit, true);
  const [rows, lines, paymentRows] = await db.batch([
    db
      .select(adminOrderFields)
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .where(inArray(orders.id, page))
      .orderBy(desc(orders.createdAt), desc(orders.id)),
    ...pageDetails(db, page),
  ]);
  const latest = latestPayments(paymentRows);
  return rows.map((r): OrderWithCustomer => ({
    ...r.order,
    customer: r.customer,
    payment: latest.get(r.order.id) ?? null,
    lines: lines.filter((l) => l.orderId === r.order.id),
  }));
}
