// Payment provider events, applied at most once: recording the event id is in the same batch
// as its effects, so a replayed event fails whole on the primary key and changes nothing.
import type { PaymentEvent } from "../domain/payments";
import { isUniqueViolation, type Db } from "./client";

function paymentEventStatements(d1: D1Database, event: PaymentEvent): D1PreparedStatement[] {
  const now = Date.now();
  const record = d1.prepare("insert into webhook_events (id, created_at) values (?1, ?2)").bind(event.id, now);
  switch (event.type) {
    case "payment.succeeded":
      return [
        record,
        d1.prepare("update orders set status = 'paid', updated_at = ?2 where id = ?1 and status = 'pending'").bind(event.data.orderId, now),
        d1
          .prepare("update payments set status = 'succeeded', provider_ref = ?2, updated_at = ?3 where order_id = ?1 and status = 'pending'")
          .bind(event.data.orderId, event.data.providerRef, now),
      ];
    case "payment.failed":
      return [record, d1.prepare("update payments set status = 'failed', updated_at = ?2 where order_id = ?1 and status = 'pending'").bind(event.data.orderId, now)];
    case "payment.refunded":
      return [
        record,
        d1.prepare("update payments set status = 'refunded', updated_at = ?2 where order_id = ?1 and status = 'succeeded'").bind(event.data.orderId, now),
      ];
  }
}

/** Applies an event once; false when its id was applied before (nothing changes). */
export async function applyPaymentEvent(db: Db, event: PaymentEvent): Promise<boolean> {
  try {
    await db.$client.batch(paymentEventStatements(db.$client, event));
    return true;
  } catch (error) {
    if (isUniqueViolation(error, "webhook_events")) return false;
    throw error;
  }
}
