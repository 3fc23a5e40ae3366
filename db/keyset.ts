// Keyset pagination for lists sorted newest first: rows strictly after the cursor's row in
// (created_at desc, id desc) order. No OFFSET anywhere.
import { and, eq, lt, or, type AnyColumn } from "drizzle-orm";
import type { Cursor } from "../domain/cursor";

export function olderThan(createdAt: AnyColumn, id: AnyColumn, cursor: Cursor | null) {
  if (!cursor) return undefined;
  const at = new Date(Number(cursor.v));
  return or(lt(createdAt, at), and(eq(createdAt, at), lt(id, cursor.id)));
}
