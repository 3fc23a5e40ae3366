// Payment provider events: which ids were applied (the processed-events table), and the reads
// the webhook needs to find an event's order. The effects live in db/payment-state.ts, shared
// with the reconciliation cron; their SQL guards make a repeat of any effect change nothing.
import { and, eq } from "drizzle-orm";
import type { Db } from "./client";
import { orders, payments, webhookEvents } from "./schema";

export async function eventApplied(db: Db, eventId: string): Promise<boolean> {
  const row = await db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.id, eventId)).get();
  return row !== undefined;
}

/** Records an applied event; false when another delivery of it was recorded first. */
export async function recordEvent(db: Db, eventId: string, at: Date): Promise<boolean> {
  const inserted = await db
    .insert(webhookEvents)
    .values({ id: eventId, createdAt: at })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  return inserted.length > 0;
}

/** The order a provider's payment reference belongs to (charge and dispute events name only it). */
export async function orderOfPayment(db: Db, provider: string, providerRef: string): Promise<string | null> {
  const row = await db
    .select({ orderId: payments.orderId })
    .from(payments)
    .where(and(eq(payments.provider, provider), eq(payments.providerRef, providerRef)))
    .get();
  return row?.orderId ?? null;
}

export async function orderTotal(db: Db, orderId: string): Promise<number | null> {
  const row = await db.select({ totalCents: orders.totalCents }).from(orders).where(eq(orders.id, orderId)).get();
  return row?.totalCents ?? null;
}

/** A payment still waiting for the customer, with what its provider's event must carry. */
export const findPendingPayment = (db: Db, provider: string, providerRef: string) =>
  db
    .select({ orderId: payments.orderId, amountCents: payments.amountCents, currency: orders.currency })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(and(eq(payments.provider, provider), eq(payments.providerRef, providerRef), eq(payments.status, "pending")))
    .get();
