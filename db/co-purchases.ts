// The co-purchase counts behind recommendations: kept in step when an order becomes paid (one
// statement in the settle batch), read by catalog.recommendations through its index.
import { and, eq, ne, sql, type Placeholder } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { compiled } from "./compiled";
import { coPurchases, orderLines, orders } from "./schema";

/**
 * Counts the order's product pairs once, in both directions. For a settle batch, after the
 * statement that marks the order paid: guarded by the order being paid at exactly `paidAt` (epoch
 * ms), so a second settle of the same order (the webhook after the checkout) counts nothing again.
 * Cancellations are not subtracted: "bought together" counts orders that were paid.
 */
function countPairs(db: Db, orderId: string | Placeholder, paidAtMs: number | Placeholder) {
  const mine = alias(orderLines, "mine");
  const other = alias(orderLines, "other");
  // Distinct: two variants of one product in an order are one product bought.
  const pairs = db
    .selectDistinct({ productId: mine.productId, otherId: other.productId, together: sql<number>`1`.as("together") })
    .from(mine)
    .innerJoin(other, and(eq(other.orderId, mine.orderId), ne(other.productId, mine.productId)))
    // `paidAt` in epoch milliseconds inside `sql`, as the statement that marks the order paid writes it.
    .innerJoin(orders, and(eq(orders.id, mine.orderId), eq(orders.status, "paid"), sql`${orders.updatedAt} = ${paidAtMs}`))
    .where(eq(mine.orderId, orderId));
  return db
    .insert(coPurchases)
    .select(pairs)
    .onConflictDoUpdate({ target: [coPurchases.productId, coPurchases.otherId], set: { together: sql`${coPurchases.together} + 1` } });
}

/** The statement for a `db.batch` (the payment webhook's settle). */
export const countCoPurchases = (db: Db, orderId: string, paidAt: Date) => countPairs(db, orderId, paidAt.getTime());

const countPairsCompiled = compiled((db) => countPairs(db, sql.placeholder("orderId"), sql.placeholder("paidAt")).prepare());

/** The same, compiled once per isolate, for the checkout's settle batch (db/compiled.ts). */
export const countCoPurchasesBound = (db: Db, orderId: string, paidAtMs: number) => countPairsCompiled(db, { orderId, paidAt: paidAtMs });
