// Settling and releasing a pending order, and the provider's later word on a payment (refunded,
// disputed): guarded batches shared by the reconciliation cron and the payment webhook. Each is
// guarded by the order's state in every statement and moves the order last, so two of them racing
// for one order (two crons, a cron and a webhook) leave exactly one outcome.
import { and, eq, exists, inArray, not, sql } from "drizzle-orm";
import { countCoPurchases } from "./co-purchases";
import type { PaymentStatus } from "../domain/payments";
import type { Db } from "./client";
import { insertOutboxWhere, newOutboxEntry, type OutboxEntry } from "./outbox";
import { discountRedemptions, discounts, orderLines, orders, payments, productVariants } from "./schema";
import { historyEntryWhere } from "./order-history";

const orderIn = (db: Db, orderId: string, status: "pending" | "cancelled") =>
  exists(
    db
      .select({ one: sql`1` })
      .from(orders)
      .where(and(eq(orders.id, orderId), eq(orders.status, status))),
  );

const paymentIn = (db: Db, orderId: string, statuses: readonly PaymentStatus[]) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), inArray(payments.status, statuses))),
  );

/** A payment row copied from the order's own total (insert … select takes every column in table order). */
function insertPaymentWhere(
  db: Db,
  p: { id: string; orderId: string; provider: string; providerRef: string | null; status: PaymentStatus; at: Date },
  condition: ReturnType<typeof and>,
) {
  return db.insert(payments).select(
    db
      .select({
        id: sql<string>`${p.id}`.as("id"),
        orderId: orders.id,
        provider: sql<string>`${p.provider}`.as("provider"),
        providerRef: sql<string | null>`${p.providerRef}`.as("provider_ref"),
        amountCents: orders.totalCents,
        status: sql<PaymentStatus>`${p.status}`.as("status"),
        createdAt: sql<Date>`${p.at.getTime()}`.as("created_at"),
        updatedAt: sql<null>`null`.as("updated_at"),
      })
      .from(orders)
      .where(and(eq(orders.id, p.orderId), condition)),
  );
}

/**
 * An order's discount redemption given back while `guard` holds: the discount's count and the
 * redemption row, so a "first 100" code or a one-per-customer code can be used again.
 */
export function giveBackRedemptionStatements(db: Db, orderId: string, guard: ReturnType<typeof exists>) {
  const redeemedHere = db
    .select({ n: sql<number>`count(*)` })
    .from(discountRedemptions)
    .where(and(eq(discountRedemptions.orderId, orderId), eq(discountRedemptions.discountId, discounts.id)));
  return [
    db
      .update(discounts)
      .set({ redemptions: sql`${discounts.redemptions} - (${redeemedHere})` })
      .where(
        and(
          inArray(
            discounts.id,
            db.select({ id: discountRedemptions.discountId }).from(discountRedemptions).where(eq(discountRedemptions.orderId, orderId)),
          ),
          guard,
        ),
      ),
    db.delete(discountRedemptions).where(and(eq(discountRedemptions.orderId, orderId), guard)),
  ] as const;
}

/** What an order took from stock and discounts, given back while `guard` holds. */
export function giveBackStatements(db: Db, orderId: string, guard: ReturnType<typeof exists>) {
  const lineQuantity = db
    .select({ quantity: orderLines.quantity })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), eq(orderLines.variantId, productVariants.id)));
  return [
    db
      .update(productVariants)
      .set({ stock: sql`${productVariants.stock} + (${lineQuantity})` })
      .where(
        and(
          inArray(productVariants.id, db.select({ id: orderLines.variantId }).from(orderLines).where(eq(orderLines.orderId, orderId))),
          guard,
        ),
      ),
    ...giveBackRedemptionStatements(db, orderId, guard),
  ] as const;
}

export type SettleOutcome = "settled" | "refund_requested" | "unchanged";

/**
 * The provider says a pending order's payment succeeded: the order is paid and the customer told.
 * If the order was released meanwhile (the cron found nothing charged a moment before the money
 * arrived), the order stays released and the money goes back: a refund is requested instead.
 */
export async function settlePending(
  db: Db,
  input: { orderId: string; provider: string; providerRef: string; at: Date },
): Promise<{ outcome: SettleOutcome; outbox: OutboxEntry[] }> {
  const { orderId, at } = input;
  const paid = newOutboxEntry("order.paid", orderId);
  const pending = orderIn(db, orderId, "pending");
  const results = await db.batch([
    insertOutboxWhere(db, paid, at, eq(orders.status, "pending")),
    historyEntryWhere(db, { id: crypto.randomUUID(), orderId, to: "paid", actorId: null }, at.getTime(), eq(orders.status, "pending")),
    db
      .update(payments)
      .set({ status: "succeeded", providerRef: input.providerRef, updatedAt: at })
      .where(and(eq(payments.orderId, orderId), eq(payments.status, "pending"), pending)),
    insertPaymentWhere(
      db,
      { id: crypto.randomUUID(), orderId, provider: input.provider, providerRef: input.providerRef, status: "succeeded", at },
      and(eq(orders.status, "pending"), not(paymentIn(db, orderId, ["pending", "succeeded"]))),
    ),
    db
      .update(orders)
      .set({ status: "paid", updatedAt: at })
      .where(and(eq(orders.id, orderId), eq(orders.status, "pending"))),
    countCoPurchases(db, orderId, at),
  ]);
  if (results[4].meta.changes > 0) return { outcome: "settled", outbox: [paid] };

  // Released, yet charged: record the charge as a refund owed, once (no other live payment).
  const paymentId = crypto.randomUUID();
  const refund = newOutboxEntry("refund", orderId);
  const [recorded] = await db.batch([
    insertPaymentWhere(
      db,
      { id: paymentId, orderId, provider: input.provider, providerRef: input.providerRef, status: "refund_pending", at },
      and(
        eq(orders.status, "cancelled"),
        not(paymentIn(db, orderId, ["pending", "succeeded", "refund_pending", "refunded", "refund_failed", "disputed"])),
      ),
    ),
    insertOutboxWhere(
      db,
      refund,
      at,
      exists(
        db
          .select({ one: sql`1` })
          .from(payments)
          .where(eq(payments.id, paymentId)),
      ),
    ),
  ]);
  return recorded.meta.changes > 0 ? { outcome: "refund_requested", outbox: [refund] } : { outcome: "unchanged", outbox: [] };
}

/**
 * Nothing was charged for a pending order (declined, abandoned, never created): stock and the
 * discount redemption go back, the payment is failed and the order cancelled, in one batch.
 * The order is kept (not deleted) so a late "succeeded" from the provider finds it and refunds.
 */
export async function releasePending(db: Db, input: { orderId: string; provider: string; at: Date }): Promise<boolean> {
  const { orderId, at } = input;
  const pending = orderIn(db, orderId, "pending");
  const results = await db.batch([
    historyEntryWhere(db, { id: crypto.randomUUID(), orderId, to: "cancelled", actorId: null }, at.getTime(), eq(orders.status, "pending")),
    ...giveBackStatements(db, orderId, pending),
    db
      .update(payments)
      .set({ status: "failed", updatedAt: at })
      .where(and(eq(payments.orderId, orderId), eq(payments.status, "pending"), pending)),
    // No payment row at all (the checkout died before one existed): record that nothing was charged.
    insertPaymentWhere(
      db,
      { id: crypto.randomUUID(), orderId, provider: input.provider, providerRef: null, status: "failed", at },
      and(eq(orders.status, "pending"), not(paymentIn(db, orderId, ["pending", "failed", "succeeded"]))),
    ),
    db
      .update(orders)
      .set({ status: "cancelled", updatedAt: at })
      .where(and(eq(orders.id, orderId), eq(orders.status, "pending"))),
  ]);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}

/** The provider confirmed a refund (its webhook): refunded, from any state a refund can follow. */
export async function markRefunded(db: Db, orderId: string, at: Date): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .update(payments)
      .set({ status: "refunded", updatedAt: at })
      .where(and(eq(payments.orderId, orderId), inArray(payments.status, ["succeeded", "refund_pending", "refund_failed", "disputed"]))),
  ]);
  return updated.meta.changes > 0;
}

/** The card holder disputed the charge (the provider's webhook): admins see it; shipping stops. */
export async function markDisputed(db: Db, orderId: string, at: Date): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .update(payments)
      .set({ status: "disputed", updatedAt: at })
      .where(and(eq(payments.orderId, orderId), inArray(payments.status, ["succeeded", "refund_pending", "refund_failed"]))),
  ]);
  return updated.meta.changes > 0;
}
