// Orders: the checkout's reservation and settlement batches, reads, and state changes.
// Invariants live in the schema: stock >= 0 and redemptions <= max are CHECK constraints, so a
// reservation batch that would oversell or over-redeem fails whole, however requests race.
import { and, desc, eq, exists, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Cursor } from "../domain/cursor";
import type { OrderStatus } from "../domain/order-status";
import type { Db } from "./client";
import { cartDiscountQuery, cartLinesQuery, toCartRows } from "./carts";
import { olderThan } from "./keyset";
import {
  cartLines,
  carts,
  discountRedemptions,
  discounts,
  idempotencyKeys,
  orderLines,
  orders,
  payments,
  products,
  type Order,
} from "./schema";

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

/** A batch of a length known only at run time (drizzle's batch takes a non-empty tuple). */
type Statements = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/** One atomic batch: idempotency key, pending order, lines, stock, discount redemption. */
function reserveStatements(db: Db, r: Reservation): Statements {
  const createdAt = new Date(r.createdAt);
  const statements: Statements = [
    db.insert(idempotencyKeys).values({ userId: r.userId, key: r.idempotencyKey, orderId: r.orderId, createdAt }),
    db.insert(orders).values({
      id: r.orderId,
      userId: r.userId,
      status: "pending",
      currency: r.currency,
      subtotalCents: r.subtotalCents,
      discountCents: r.discountCents,
      shippingCents: r.shippingCents,
      totalCents: r.totalCents,
      discountCode: r.discount?.code ?? null,
      shippingAddress: r.shippingAddress,
      createdAt,
    }),
  ];
  for (const line of r.lines) {
    statements.push(
      db.insert(orderLines).values({
        orderId: r.orderId,
        productId: line.productId,
        name: line.name,
        unitPriceCents: line.unitPriceCents,
        quantity: line.quantity,
      }),
      // Guarded twice: only active products, and the CHECK (stock >= 0) refuses an oversell.
      db
        .update(products)
        .set({ stock: sql`${products.stock} - ${line.quantity}` })
        .where(and(eq(products.id, line.productId), eq(products.status, "active"))),
    );
  }
  if (r.discount) {
    statements.push(
      // The CHECK (redemptions <= max) refuses a redemption past the maximum.
      db
        .update(discounts)
        .set({ redemptions: sql`${discounts.redemptions} + 1` })
        .where(eq(discounts.id, r.discount.id)),
      // The partial unique index refuses a second use of a one-per-customer code.
      db.insert(discountRedemptions).values({
        id: crypto.randomUUID(),
        discountId: r.discount.id,
        userId: r.userId,
        orderId: r.orderId,
        onePerCustomer: r.discount.onePerCustomer,
        createdAt,
      }),
    );
  }
  return statements;
}

/** Payment taken: the order is paid, the payment recorded, the cart emptied. */
function settlePaidStatements(db: Db, r: Reservation, payment: { provider: string; providerRef: string; paidAt: number }) {
  const paidAt = new Date(payment.paidAt);
  return [
    db
      .update(orders)
      .set({ status: "paid", updatedAt: paidAt })
      .where(and(eq(orders.id, r.orderId), eq(orders.status, "pending"))),
    db.insert(payments).values({
      id: crypto.randomUUID(),
      orderId: r.orderId,
      provider: payment.provider,
      providerRef: payment.providerRef,
      amountCents: r.totalCents,
      status: "succeeded",
      createdAt: paidAt,
    }),
    db.delete(cartLines).where(eq(cartLines.userId, r.userId)),
    db.update(carts).set({ discountCode: null }).where(eq(carts.userId, r.userId)),
  ] as const;
}

/** Payment failed: everything the reservation did is undone, so no order remains. */
function releaseStatements(db: Db, r: Reservation): Statements {
  const restock = r.lines.map((l) =>
    db
      .update(products)
      .set({ stock: sql`${products.stock} + ${l.quantity}` })
      .where(eq(products.id, l.productId)),
  );
  const unredeem = r.discount
    ? [
        db.delete(discountRedemptions).where(eq(discountRedemptions.orderId, r.orderId)),
        db
          .update(discounts)
          .set({ redemptions: sql`${discounts.redemptions} - 1` })
          .where(eq(discounts.id, r.discount.id)),
      ]
    : [];
  return [
    db.delete(orderLines).where(eq(orderLines.orderId, r.orderId)),
    db.delete(orders).where(eq(orders.id, r.orderId)),
    db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, r.userId), eq(idempotencyKeys.key, r.idempotencyKey))),
    ...restock,
    ...unredeem,
  ];
}

const idempotentOrderQuery = (db: Db, userId: string, key: string) =>
  db
    .select({ orderId: idempotencyKeys.orderId })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));

/** An order, its lines and its successful payment (if any), in one round trip. */
export async function findOrderWithLines(db: Db, id: string) {
  const [[order], lines, [payment]] = await db.batch([
    db.select().from(orders).where(eq(orders.id, id)),
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(orderLines.productId),
    db
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, id), eq(payments.status, "succeeded"))),
  ]);
  return order ? { ...order, lines, payment: payment ?? null } : undefined;
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
 * Moves an order from its current state to `to` in one atomic batch, only if it is still in the
 * first (the SQL guard); false when it changed meanwhile (nothing done). The move is the batch's
 * last statement. On cancellation the refund marking and the restock run first, guarded by the
 * order still being in its old state: D1 runs a batch as one serialised transaction, so a
 * concurrent change that lost the race finds the order moved and restocks nothing. (A guard on
 * the new state and its timestamp cannot tell apart two cancellations in the same millisecond:
 * both would restock.)
 */
export async function transition(db: Db, order: OrderWithLines, to: OrderStatus, stamp: number): Promise<boolean> {
  const at = new Date(stamp);
  const inFromState = () => and(eq(orders.id, order.id), eq(orders.status, order.status));
  const move = db.update(orders).set({ status: to, updatedAt: at }).where(inFromState());
  if (to !== "cancelled") {
    const [moved] = await db.batch([move]);
    return moved.meta.changes > 0;
  }
  const stillFrom = () =>
    exists(
      db
        .select({ one: sql`1` })
        .from(orders)
        .where(inFromState()),
    );
  const results = await db.batch([
    db
      .update(payments)
      .set({ status: "refunded", updatedAt: at })
      .where(and(eq(payments.orderId, order.id), eq(payments.status, "succeeded"), stillFrom())),
    ...order.lines.map((l) =>
      db
        .update(products)
        .set({ stock: sql`${products.stock} + ${l.quantity}` })
        .where(and(eq(products.id, l.productId), stillFrom())),
    ),
    move,
  ]);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}

/** The order an idempotency key already made (if any) and the user's cart, in one round trip. */
export async function readCheckoutStart(db: Db, userId: string, idempotencyKey: string) {
  const [[previous], lines, discount] = await db.batch([
    idempotentOrderQuery(db, userId, idempotencyKey),
    cartLinesQuery(db, userId),
    cartDiscountQuery(db, userId),
  ]);
  return { previousOrderId: previous?.orderId ?? null, cart: toCartRows(lines, discount) };
}

export async function findIdempotentOrderId(db: Db, userId: string, idempotencyKey: string): Promise<string | null> {
  const row = await idempotentOrderQuery(db, userId, idempotencyKey).get();
  return row?.orderId ?? null;
}

/** Reserves stock, the discount and the key for a pending order; throws the constraint that refused it. */
export async function reserve(db: Db, r: Reservation): Promise<void> {
  await db.batch(reserveStatements(db, r));
}

export async function settlePaid(
  db: Db,
  r: Reservation,
  payment: { provider: string; providerRef: string; paidAt: number },
): Promise<void> {
  await db.batch(settlePaidStatements(db, r, payment));
}

export async function release(db: Db, r: Reservation): Promise<void> {
  await db.batch(releaseStatements(db, r));
}
