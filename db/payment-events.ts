// Payment provider events, applied at most once: recording the event id is in the same batch
// as its effects, so a replayed event fails whole on the primary key and changes nothing.
import { and, eq } from "drizzle-orm";
import type { PaymentEvent } from "../domain/payments";
import { isUniqueViolation, type Db } from "./client";
import { orders, payments, webhookEvents } from "./schema";

function applyStatements(db: Db, event: PaymentEvent) {
  const now = new Date();
  const record = db.insert(webhookEvents).values({ id: event.id, createdAt: now });
  const { orderId } = event.data;
  switch (event.type) {
    case "payment.succeeded":
      return [
        record,
        db
          .update(orders)
          .set({ status: "paid", updatedAt: now })
          .where(and(eq(orders.id, orderId), eq(orders.status, "pending"))),
        db
          .update(payments)
          .set({ status: "succeeded", providerRef: event.data.providerRef, updatedAt: now })
          .where(and(eq(payments.orderId, orderId), eq(payments.status, "pending"))),
      ] as const;
    case "payment.failed":
      return [
        record,
        db
          .update(payments)
          .set({ status: "failed", updatedAt: now })
          .where(and(eq(payments.orderId, orderId), eq(payments.status, "pending"))),
      ] as const;
    case "payment.refunded":
      return [
        record,
        db
          .update(payments)
          .set({ status: "refunded", updatedAt: now })
          .where(and(eq(payments.orderId, orderId), eq(payments.status, "succeeded"))),
      ] as const;
  }
}

/** Applies an event once; false when its id was applied before (nothing changes). */
export async function applyPaymentEvent(db: Db, event: PaymentEvent): Promise<boolean> {
  try {
    await db.batch(applyStatements(db, event));
    return true;
  } catch (error) {
    if (isUniqueViolation(error, "webhook_events")) return false;
    throw error;
  }
}
