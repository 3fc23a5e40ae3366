// Order state changes after checkout (ship, deliver, cancel with refund and restock): each one
// atomic batch guarded by the state it moves from.
import { and, eq, exists, sql } from "drizzle-orm";
import { SHIPPABLE_PAYMENT } from "../domain/order-payment";
import type { OrderStatus } from "../domain/order-status";
import type { Db } from "./client";
import { historyEntryWhere } from "./order-history";
import type { OrderWithLines } from "./orders";
import { insertOutboxWhere, newOutboxEntry, type OutboxEntry } from "./outbox";
import { giveBackRedemptionStatements } from "./payment-state";
import { orders, payments, productVariants } from "./schema";

/** What a transition did: moved, or why not (the order changed meanwhile, or its payment does not allow it). */
export type TransitionOutcome = "moved" | "order_changed" | "payment_not_succeeded";

/** True while the order's payment is one the provider settled (not refunded, disputed, pending). */
const paymentSucceeded = (db: Db, orderId: string) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.status, SHIPPABLE_PAYMENT))),
  );

/**
 * Moves an order from its current state to `to` in one atomic batch, only if it is still in the
 * first (the SQL guard). Shipping is also guarded by the payment having succeeded, in the same
 * UPDATE: a refund or dispute landing between the admin's read and the write still stops it. On
 * cancellation the refund marking and the restock run first, guarded by the order still being in
 * its old state: D1 runs a batch as one serialised transaction, so a concurrent change that lost
 * the race finds the order moved and restocks nothing. (A guard on the new state and its
 * timestamp cannot tell apart two cancellations in the same millisecond: both would restock.)
 */
export async function transition(
  db: Db,
  order: OrderWithLines,
  to: OrderStatus,
  stamp: number,
  actorId: string | null = null,
): Promise<{ outcome: TransitionOutcome; outbox: OutboxEntry[] }> {
  const at = new Date(stamp);
  const inFromState = () => and(eq(orders.id, order.id), eq(orders.status, order.status));
  if (to !== "cancelled") {
    const shipping = to === "shipped";
    const onOrder = shipping ? and(eq(orders.status, order.status), paymentSucceeded(db, order.id)) : eq(orders.status, order.status);
    const current = db.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
    const move = db
      .update(orders)
      .set({ status: to, updatedAt: at })
      .where(and(eq(orders.id, order.id), onOrder));
    const shipped = newOutboxEntry("order.shipped", order.id);
    const history = historyEntryWhere(db, { id: crypto.randomUUID(), orderId: order.id, to, actorId }, stamp, onOrder);
    // The event and the history entry go in first under the move's own guard, so they exist
    // exactly when the move happens.
    const [[before], moved] = shipping
      ? await db.batch([current, insertOutboxWhere(db, shipped, at, onOrder), history, move]).then(([c, , , m]) => [c, m] as const)
      : await db.batch([current, history, move]).then(([c, , m]) => [c, m] as const);
    if (moved.meta.changes > 0) return { outcome: "moved", outbox: shipping ? [shipped] : [] };
    const outcome = before?.status === order.status && shipping ? "payment_not_succeeded" : "order_changed";
    return { outcome, outbox: [] };
  }
  const stillFrom = () =>
    exists(
      db
        .select({ one: sql`1` })
        .from(orders)
        .where(inFromState()),
    );
  const refund = newOutboxEntry("refund", order.id);
  const cancelled = newOutboxEntry("order.cancelled", order.id);
  const results = await db.batch([
    // The refund request and the event commit with the cancellation, or not at all.
    insertOutboxWhere(db, refund, at, and(eq(orders.status, order.status), paymentSucceeded(db, order.id))),
    insertOutboxWhere(db, cancelled, at, eq(orders.status, order.status)),
    historyEntryWhere(db, { id: crypto.randomUUID(), orderId: order.id, to, actorId }, stamp, eq(orders.status, order.status)),
    db
      .update(payments)
      .set({ status: "refund_pending", updatedAt: at })
      .where(and(eq(payments.orderId, order.id), eq(payments.status, "succeeded"), stillFrom())),
    ...order.lines.map((l) =>
      db
        .update(productVariants)
        .set({ stock: sql`${productVariants.stock} + ${l.quantity}` })
        .where(and(eq(productVariants.id, l.variantId), stillFrom())),
    ),
    // A cancelled order gives its discount back: a limited or one-per-customer code is usable again.
    ...giveBackRedemptionStatements(db, order.id, stillFrom()),
    db.update(orders).set({ status: to, updatedAt: at }).where(inFromState()),
  ]);
  if ((results.at(-1)?.meta.changes ?? 0) === 0) return { outcome: "order_changed", outbox: [] };
  const refundWritten = results[0].meta.changes > 0;
  return { outcome: "moved", outbox: refundWritten ? [refund, cancelled] : [cancelled] };
}
