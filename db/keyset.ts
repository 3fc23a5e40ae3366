// Keyset pagination for lists sorted newest first: rows strictly after the cursor's row in
// (created_at desc, id desc) order. No OFFSET anywhere.
import { sql, type AnyColumn } from "drizzle-orm";
import type { Cursor } from "../domain/cursor";

// A row value, not `a < ? or (a = ? and b < ?)`: SQLite seeks an (…, created_at, id) index
// straight to the cursor with a row value, where the `or` form walked every row before it
// (538,637 rows read for the last page of delivered orders, against a page's worth).
export function olderThan(createdAt: AnyColumn, id: AnyColumn, cursor: Cursor | null) {
  if (!cursor) return undefined;
  // Timestamps are stored as epoch milliseconds (db/schema.ts); a cursor we did not issue has none.
  const at = Number(cursor.v);
  if (!Number.isFinite(at)) return sql`0`;
  return sql`(${createdAt}, ${id}) < (${at}, ${cursor.id})`;
}
