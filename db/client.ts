// The drizzle instance for one request. Never module-level: the D1 binding belongs to the
// request, and reusing it from another request fails ("Cannot perform I/O on behalf of …").
import { drizzle } from "drizzle-orm/d1";
import { instrumentD1 } from "./instrumented-d1";
import type { RequestMetrics } from "./metrics";
import * as schema from "./schema";

export const createDb = (d1: D1Database, metrics: RequestMetrics) => drizzle(instrumentD1(d1, metrics), { schema });

export type Db = ReturnType<typeof createDb>;

/** True when a D1 error is a unique-constraint violation (e.g. an email already taken). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed/i.test(e.message)) return true;
  }
  return false;
}
