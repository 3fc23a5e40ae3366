// Orders: the checkout's reservation and settlement batches, reads, and state changes.
// Invariants live in the schema: stock >= 0 and redemptions <= max are CHECK constraints, so a
// reservation batch that would oversell or over-redeem fails whole, however requests race.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Cursor } from "../domain/cursor";
import type { Db } from "./client";
import { readCartStatements, type CartDiscountRow, type CartLineRow } from "./carts";
import { olderThan } from "./keyset";
import type { OrderStatus } from "../domain/order-status";
import { orderLines, orders, payments, type Order } from "./schema";

export interface ReservationLine {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export interface Reservation {
  orderId: string;
  userId: string;
  idempotencyKey: string;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  totalCents: number;
  discount: { id: string; code: string; onePerCustomer: boolean } | null;
  shippingAddress: unknown;
  lines: ReservationLine[];
  createdAt: number;
}

/** One atomic batch: idempotency key, pending order, lines, stock, discount redemption. */
function reserveStatements(d1: D1Database, r: Reservation): D1PreparedStatement[] {
  const now = r.createdAt;
  const statements = [
    d1.prepare("insert into idempotency_keys (user_id, key, order_id, created_at) values (?1, ?2, ?3, ?4)").bind(r.userId, r.idempotencyKey, r.orderId, now),
    d1
      .prepare(
        `insert into orders (id, user_id, status, currency, subtotal_cents, discount_cents, shipping_cents, total_cents, discount_code, shipping_address, created_at)
         values (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
      )
      .bind(r.orderId, r.userId, r.currency, r.subtotalCents, r.discountCents, r.shippingCents, r.totalCents, r.discount?.code ?? null, JSON.stringify(r.shippingAddress), now),
  ];
  for (const line of r.lines) {
    statements.push(
      d1
        .prepare("insert into order_lines (order_id, product_id, name, unit_price_cents, quantity) values (?1, ?2, ?3, ?4, ?5)")
        .bind(r.orderId, line.productId, line.name, line.unitPriceCents, line.quantity),
      // Guarded twice: only active products, and the CHECK (stock >= 0) refuses an oversell.
      d1.prepare("update products set stock = stock - ?2 where id = ?1 and status = 'active'").bind(line.productId, line.quantity),
    );
  }
  if (r.discount) {
    statements.push(
      d1.prepare("update discounts set redemptions = redemptions + 1 where id = ?1").bind(r.discount.id),
      d1
        .prepare("insert into discount_redemptions (id, discount_id, user_id, order_id, one_per_customer, created_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(crypto.randomUUID(), r.discount.id, r.userId, r.orderId, r.discount.onePerCustomer ? 1 : 0, now),
    );
  }
  return statements;
}

/** Payment taken: the order is paid, the payment recorded, the cart emptied. */
const settlePaidStatements = (d1: D1Database, r: Reservation, provider: string, providerRef: string, paidAt: number) => [
  d1.prepare("update orders set status = 'paid', updated_at = ?2 where id = ?1 and status = 'pending'").bind(r.orderId, paidAt),
  d1
    .prepare("insert into payments (id, order_id, provider, provider_ref, amount_cents, status, created_at) values (?1, ?2, ?3, ?4, ?5, 'succeeded', ?6)")
    .bind(crypto.randomUUID(), r.orderId, provider, providerRef, r.totalCents, paidAt),
  d1.prepare("delete from cart_lines where user_id = ?1").bind(r.userId),
  d1.prepare("update carts set discount_code = null where user_id = ?1").bind(r.userId),
];

/** Payment failed: everything the reservation did is undone, so no order remains. */
function releaseStatements(d1: D1Database, r: Reservation): D1PreparedStatement[] {
  const statements = r.lines.map((l) => d1.prepare("update products set stock = stock + ?2 where id = ?1").bind(l.productId, l.quantity));
  if (r.discount) {
    statements.push(
      d1.prepare("delete from discount_redemptions where order_id = ?1").bind(r.orderId),
      d1.prepare("update discounts set redemptions = redemptions - 1 where id = ?1").bind(r.discount.id),
    );
  }
  statements.push(
    d1.prepare("delete from order_lines where order_id = ?1").bind(r.orderId),
    d1.prepare("delete from orders where id = ?1").bind(r.orderId),
    d1.prepare("delete from idempotency_keys where user_id = ?1 and key = ?2").bind(r.userId, r.idempotencyKey),
  );
  return statements;
}

const findIdempotentOrderIdStatement = (d1: D1Database, userId: string, key: string) =>
  d1.prepare("select order_id as orderId from idempotency_keys where user_id = ?1 and key = ?2").bind(userId, key);

/** An order, its lines and its successful payment (if any), in one round trip. */
export async function findOrderWithLines(db: Db, id: string) {
  const [order, lines, payment] = await db.batch([
    db.select().from(orders).where(eq(orders.id, id)),
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(orderLines.productId),
    db.select().from(payments).where(and(eq(payments.orderId, id), eq(payments.status, "succeeded"))),
  ]);
  return order[0] ? { ...order[0], lines, payment: payment[0] ?? null } : undefined;
}

export type OrderWithLines = NonNullable<Awaited<ReturnType<typeof findOrderWithLines>>>;
export type OrderAndLines = Order & { lines: (typeof orderLines.$inferSelect)[] };

/** Orders newest first, with their lines, in one round trip. */
export async function listOrders(db: Db, filter: { userId?: string; status?: OrderStatus }, cursor: Cursor | null, limit: number) {
  const conditions = [
    filter.userId ? eq(orders.userId, filter.userId) : undefined,
    filter.status ? eq(orders.status, filter.status) : undefined,
    olderThan(orders.createdAt, orders.id, cursor),
  ];
  const page = db
    .select({ id: orders.id })
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  const [rows, lines] = await db.batch([
    db.select().from(orders).where(inArray(orders.id, page)).orderBy(desc(orders.createdAt), desc(orders.id)),
    db.select().from(orderLines).where(inArray(orderLines.orderId, page)).orderBy(orderLines.productId),
  ]);
  return rows.map((o) => ({ ...o, lines: lines.filter((l) => l.orderId === o.id) }));
}

/**
 * One atomic batch that moves an order between two states only if it is still in the first (the
 * SQL guard); the move is the batch's last statement. On cancellation the restock and refund
 * marking run first, guarded by the order still being in its old state: D1 runs a batch as one
 * serialised transaction, so a concurrent change that lost the race finds the order moved and
 * restocks nothing. (A guard on the new state and its timestamp cannot tell apart two
 * cancellations in the same millisecond: both would restock.)
 */
function transitionStatements(d1: D1Database, order: OrderWithLines, to: OrderStatus, stamp: number) {
  const stillFrom = "exists (select 1 from orders where id = ?1 and status = ?2)";
  const statements: D1PreparedStatement[] = [];
  if (to === "cancelled") {
    for (const l of order.lines) {
      statements.push(d1.prepare(`update products set stock = stock + ?4 where id = ?3 and ${stillFrom}`).bind(order.id, order.status, l.productId, l.quantity));
    }
    statements.push(
      d1.prepare(`update payments set status = 'refunded', updated_at = ?3 where order_id = ?1 and status = 'succeeded' and ${stillFrom}`).bind(order.id, order.status, stamp),
    );
  }
  statements.push(d1.prepare("update orders set status = ?3, updated_at = ?4 where id = ?1 and status = ?2").bind(order.id, order.status, to, stamp));
  return statements;
}


/** The order an idempotency key already made (if any) and the user's cart, in one round trip. */
export async function readCheckoutStart(db: Db, userId: string, idempotencyKey: string) {
  const [keyResult, linesResult, discountResult] = await db.$client.batch([
    findIdempotentOrderIdStatement(db.$client, userId, idempotencyKey),
    ...readCartStatements(db.$client, userId),
  ]);
  return {
    previousOrderId: (keyResult?.results[0] as { orderId: string } | undefined)?.orderId ?? null,
    cart: {
      lines: (linesResult?.results ?? []) as unknown as CartLineRow[],
      discount: (discountResult?.results[0] as unknown as CartDiscountRow | undefined) ?? null,
    },
  };
}

export async function findIdempotentOrderId(db: Db, userId: string, idempotencyKey: string): Promise<string | null> {
  const row = await findIdempotentOrderIdStatement(db.$client, userId, idempotencyKey).first<{ orderId: string }>();
  return row?.orderId ?? null;
}

/** Reserves stock, the discount and the key for a pending order; throws the constraint that refused it. */
export async function reserve(db: Db, r: Reservation): Promise<void> {
  await db.$client.batch(reserveStatements(db.$client, r));
}

export async function settlePaid(db: Db, r: Reservation, payment: { provider: string; providerRef: string; paidAt: number }): Promise<void> {
  await db.$client.batch(settlePaidStatements(db.$client, r, payment.provider, payment.providerRef, payment.paidAt));
}

export async function release(db: Db, r: Reservation): Promise<void> {
  await db.$client.batch(releaseStatements(db.$client, r));
}

/** Moves an order from its current state to `to`; false when it changed meanwhile (nothing done). */
export async function transition(db: Db, order: OrderWithLines, to: OrderStatus, stamp: number): Promise<boolean> {
  const results = await db.$client.batch(transitionStatements(db.$client, order, to, stamp));
  return (results[results.length - 1]?.meta.changes ?? 0) > 0;
}
