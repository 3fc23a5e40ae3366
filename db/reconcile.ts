// What the reconciliation cron reads and cleans: stranded pending orders, old idempotency keys.
import { and, asc, eq, lt } from "drizzle-orm";
import type { Db } from "./client";
import { idempotencyKeys, orders } from "./schema";

/** Pending orders created before `cutoff`, oldest first (orders_status_idx: status, created_at, id). */
export function stalePendingOrders(db: Db, cutoff: Date, limit: number) {
  return db
    .select({ id: orders.id, createdAt: orders.createdAt })
    .from(orders)
    .where(and(eq(orders.status, "pending"), lt(orders.createdAt, cutoff)))
    .orderBy(asc(orders.createdAt), asc(orders.id))
    .limit(limit);
}

/** Deletes idempotency keys created before `cutoff`; returns how many. */
export async function deleteIdempotencyKeysBefore(db: Db, cutoff: Date): Promise<number> {
  const [deleted] = await db.batch([db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff))]);
  return deleted.meta.changes;
}
