// The drizzle instance for one request. Never module-level: the D1 binding belongs to the
// request, and reusing it from another request fails ("Cannot perform I/O on behalf of …").
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { instrumentD1 } from "./instrumented-d1";
import type { RequestMetrics } from "./metrics";

// No `{ schema }`: nothing uses the relational query API, and passing it rebuilt drizzle's
// relational config on every request (about 6% of a cached read's CPU, BENCHMARKS.md).
export const createDb = (d1: D1Database, metrics: RequestMetrics) => drizzle(instrumentD1(d1, metrics));

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
