// The drizzle instance for one request, over one D1 session (read replication). Never
// module-level: the D1 binding belongs to the request, and reusing it from another request fails
// ("Cannot perform I/O on behalf of …").
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { instrumentD1, type D1Queryable } from "./instrumented-d1";
import type { RequestMetrics } from "./metrics";

// The shape of a D1 bookmark. Locally any string is accepted as one, and in production a
// malformed one is an error: anything else a caller sends is ignored, never passed on.
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** The bookmark a caller sent, if it has a bookmark's shape; null otherwise. */
export const validBookmark = (value: string | null | undefined): string | null => (value && BOOKMARK.test(value) ? value : null);

/** The newer of two valid bookmarks (their first three fields are fixed-width hex counters). */
export function newerBookmark(a: string | null, b: string | null): string | null {
  if (!a || !b) return a ?? b;
  return b.slice(0, 26) > a.slice(0, 26) ? b : a;
}

/**
 * Where a request's queries start. "primary" for writes that must see the latest state whatever
 * the caller last saw (auth, checkout); otherwise the caller's bookmark (reads its own writes) or
 * any replica.
 */
export type Consistency = "primary" | "replica";

export function openSession(d1: D1Database, consistency: Consistency, bookmark: string | null): D1DatabaseSession {
  if (consistency === "primary") return d1.withSession("first-primary");
  return d1.withSession(bookmark ?? "first-unconstrained");
}

// No `{ schema }`: nothing uses the relational query API, and passing it rebuilt drizzle's
// relational config on every request (about 6% of a cached read's CPU, BENCHMARKS.md).
// The instrumentation wraps the session itself: a session taken from a wrapped binding would not
// be counted.
export const createDb = (d1: D1Queryable, metrics: RequestMetrics) => drizzle(instrumentD1(d1, metrics));

export type Db = ReturnType<typeof createDb>;

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message);
  return parts.join(" | ");
}

/** True when a D1 error is a unique-constraint violation (an email taken, a key reused…). */
export const isUniqueViolation = (error: unknown, target?: string) =>
  /UNIQUE constraint failed/i.test(messages(error)) && (!target || messages(error).includes(target));

/** True when a D1 error is the named CHECK constraint refusing a write. */
export const isCheckViolation = (error: unknown, constraint: string) =>
  new RegExp(`CHECK constraint failed: ${constraint}`, "i").test(messages(error));

/** One trivial query, for the readiness check: throws when D1 cannot answer. */
export const pingD1 = (d1: D1Database) => drizzle(d1).run(sql`select 1`);
