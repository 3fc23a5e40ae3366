// The outbox of durable side effects: guarded inserts that ride in an order change's
// batch, and the consumer's claim and completion batches.
import { and, asc, desc, eq, inArray, lt, or, sql, isNull, type Placeholder, type SQL } from "drizzle-orm";
import type { OutboxKind } from "../domain/outbox";
import type { Db } from "./client";
import { orders, outbox, payments, type OutboxRow } from "./schema";

export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  orderId: string;
}

export const newOutboxEntry = (kind: OutboxKind, orderId: string): OutboxEntry => ({ id: crypto.randomUUID(), kind, orderId });

/**
 * An outbox row inserted only when `condition` (over the order's row) holds, so it commits exactly
 * when the change it belongs to does: put it in the same batch, before the change, with the
 * change's own guard. (insert … select takes every column in table order.) Placeholders are
 * accepted so a compiled statement (db/compiled.ts) can be built from it; `at` is then epoch ms.
 */
export function insertOutboxWhere(
  db: Db,
  entry: { id: string | Placeholder; kind: OutboxKind; orderId: string | Placeholder },
  at: Date | Placeholder,
  condition: SQL | undefined,
) {
  return db.insert(outbox).select(
    db
      .select({
        id: sql<string>`${entry.id}`.as("id"),
        kind: sql<OutboxKind>`${entry.kind}`.as("kind"),
        orderId: orders.id,
        status: sql<"pending">`'pending'`.as("status"),
        attempts: sql<number>`0`.as("attempts"),
        lastError: sql<null>`null`.as("last_error"),
        createdAt: sql<Date>`${at instanceof Date ? at.getTime() : at}`.as("created_at"),
        enqueuedAt: sql<null>`null`.as("enqueued_at"),
        updatedAt: sql<null>`null`.as("updated_at"),
      })
      .from(orders)
      .where(and(eq(orders.id, entry.orderId), condition)),
  );
}

/**
 * Takes a delivered message's row: counts the attempt and moves `pending` to `processing`, then
 * reads the row, its order's owner and the order's latest payment, in one round trip.
 */
export async function claimOutboxRow(db: Db, id: string, attempts: number, at: Date) {
  const [, [row], [payment]] = await db.batch([
    db
      .update(outbox)
      .set({ status: "processing", attempts, updatedAt: at })
      .where(and(eq(outbox.id, id), inArray(outbox.status, ["pending", "processing"]))),
    db
      .select({ row: outbox, userId: orders.userId })
      .from(outbox)
      .innerJoin(orders, eq(orders.id, outbox.orderId))
      .where(eq(outbox.id, id)),
    db
      .select()
      .from(payments)
      .where(eq(payments.orderId, db.select({ orderId: outbox.orderId }).from(outbox).where(eq(outbox.id, id))))
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(1),
  ]);
  return row ? { ...row, payment: payment ?? null } : undefined;
}

const finishRow = (db: Db, id: string, status: "done" | "failed", at: Date, lastError: string | null = null) =>
  db
    .update(outbox)
    .set({ status, lastError, updatedAt: at })
    .where(and(eq(outbox.id, id), inArray(outbox.status, ["pending", "processing"])));

/** The provider confirmed the refund: the payment is refunded (only from refund_pending) and the row done. */
export async function recordRefunded(db: Db, row: OutboxRow, at: Date) {
  await db.batch([
    db
      .update(payments)
      .set({ status: "refunded", updatedAt: at })
      .where(and(eq(payments.orderId, row.orderId), eq(payments.status, "refund_pending"))),
    finishRow(db, row.id, "done", at),
  ]);
}

/** The refund failed for good (refused, or out of retries): admins see refund_failed. */
export async function recordRefundFailed(db: Db, row: Pick<OutboxRow, "id" | "orderId">, at: Date, reason: string) {
  await db.batch([
    db
      .update(payments)
      .set({ status: "refund_failed", updatedAt: at })
      .where(and(eq(payments.orderId, row.orderId), eq(payments.status, "refund_pending"))),
    finishRow(db, row.id, "failed", at, reason),
  ]);
}

/** Closes a row whose work needs nothing more (a refund the provider accepted, or one already settled). */
export async function recordDone(db: Db, id: string, at: Date) {
  await db.batch([finishRow(db, id, "done", at)]);
}

/** Keeps the reason of a failed attempt that will be retried. */
export async function recordAttemptFailed(db: Db, id: string, at: Date, reason: string) {
  await db.batch([
    db
      .update(outbox)
      .set({ lastError: reason, updatedAt: at })
      .where(and(eq(outbox.id, id), eq(outbox.status, "processing"))),
  ]);
}

/**
 * A dead-lettered message: its row is failed, and a refund still pending is refund_failed
 * (`refundFailed` says whether this call made it so).
 */
export async function recordDeadLetter(db: Db, id: string, at: Date) {
  const [refundFailed, [row]] = await db.batch([
    db
      .update(payments)
      .set({ status: "refund_failed", updatedAt: at })
      .where(
        and(
          eq(payments.status, "refund_pending"),
          eq(
            payments.orderId,
            db
              .select({ orderId: outbox.orderId })
              .from(outbox)
              .where(and(eq(outbox.id, id), eq(outbox.kind, "refund"), inArray(outbox.status, ["pending", "processing"]))),
          ),
        ),
      )
      .returning({ orderId: payments.orderId }),
    db
      .update(outbox)
      .set({ status: "failed", lastError: "dead-lettered", updatedAt: at })
      .where(and(eq(outbox.id, id), inArray(outbox.status, ["pending", "processing"])))
      .returning({ kind: outbox.kind, orderId: outbox.orderId }),
  ]);
  return row ? { ...row, refundFailed: refundFailed.length > 0 } : null;
}

/**
 * Rows committed but never taken by a consumer, last sent before `cutoff`: the cron sends them
 * again and stamps `enqueued_at`, so it does not re-send them every run while the queue is slow.
 */
export async function claimUnsentOutbox(db: Db, cutoff: Date, at: Date, limit: number): Promise<string[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), lt(outbox.createdAt, cutoff), or(isNull(outbox.enqueuedAt), lt(outbox.enqueuedAt, cutoff))))
    .orderBy(asc(outbox.createdAt))
    .limit(limit);
  const rows = await db
    .update(outbox)
    .set({ enqueuedAt: at })
    .where(and(inArray(outbox.id, due), eq(outbox.status, "pending")))
    .returning({ id: outbox.id });
  return rows.map((r) => r.id);
}
