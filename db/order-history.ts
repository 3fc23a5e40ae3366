// An order's history: the statement that records a state change beside the change itself.
import { and, eq, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { OrderStatus } from "../domain/order-status";
import type { Db } from "./client";
import { orderEvents, orders } from "./schema";

/**
 * The order's history entry for a move to `to`, inserted only when `condition` (over the order's
 * row) holds: in the same batch as the move, before it, under the move's own guard. Placeholders
 * are accepted so a compiled statement can be built from it; `at` is then epoch ms.
 */
export function historyEntryWhere(
  db: Db,
  entry: { id: string | Placeholder; orderId: string | Placeholder; to: OrderStatus; actorId: string | null | Placeholder },
  at: number | Placeholder,
  condition: SQL | undefined,
) {
  return db.insert(orderEvents).select(
    db
      .select({
        id: sql<string>`${entry.id}`.as("id"),
        orderId: orders.id,
        fromStatus: orders.status,
        toStatus: sql<OrderStatus>`${entry.to}`.as("to_status"),
        actorId: sql<string | null>`${entry.actorId}`.as("actor_id"),
        createdAt: sql<Date>`${at}`.as("created_at"),
      })
      .from(orders)
      .where(and(eq(orders.id, entry.orderId), condition)),
  );
}
