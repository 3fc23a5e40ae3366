// Reading order_events (db/order-history.ts writes them, in each change's own batch) for the live
// subscribers that replay what they missed.
import { and, asc, desc, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { Db } from "./client";
import { orderEvents } from "./schema";

/**
 * The event id `lastEventId` carries: SQLite's rowid, which follows insertion, i.e. commit order
 * (the table's own id is a random text key, its created_at the writer's clock). Only state changes
 * are replayed, never an order's creation entry: those are the only rows ever deleted (a released
 * reservation's), and a new rowid is always above every surviving row's, so an id we hand out is
 * never taken again.
 */
const eventId = sql<number>`${orderEvents}.rowid`;

/** A state change, not the order's creation (that has no from_status). */
const isChange = isNotNull(orderEvents.fromStatus);

/** An order's events after `afterId`, oldest first. */
export const orderEventsAfter = (db: Db, orderId: string, afterId: number, limit = 100) =>
  db
    .select({ id: eventId, status: orderEvents.toStatus, createdAt: orderEvents.createdAt })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), isChange, gt(eventId, afterId)))
    .orderBy(asc(eventId))
    .limit(limit);

/** Every order's events after `afterId`, oldest first (the admin feed). */
export const shopEventsAfter = (db: Db, afterId: number, limit = 100) =>
  db
    .select({ id: eventId, orderId: orderEvents.orderId, status: orderEvents.toStatus, createdAt: orderEvents.createdAt })
    .from(orderEvents)
    .where(and(isChange, gt(eventId, afterId)))
    .orderBy(asc(eventId))
    .limit(limit);

/** The newest event id (of one order, or of all), 0 when there is none. */
export async function latestEventId(db: Db, orderId?: string): Promise<number> {
  const row = await db
    .select({ id: eventId })
    .from(orderEvents)
    .where(and(isChange, orderId === undefined ? undefined : eq(orderEvents.orderId, orderId)))
    .orderBy(desc(eventId))
    .limit(1)
    .get();
  return row?.id ?? 0;
}
