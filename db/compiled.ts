// Statements Drizzle compiles once per isolate: written with the query builder and
// `sql.placeholder()`, turned into SQL on first use, then bound with each call's values.
//
// Why: building a statement through Drizzle costs about 50 µs of CPU every time (its `is()` type
// checks walk prototype chains for every SQL chunk; BENCHMARKS.md), and a checkout runs about
// fifteen; Drizzle's own prepared queries cannot join a `db.batch` (drizzle-orm#2197). The SQL and the
// row mapping are still Drizzle's; only the compiling is done once.
import { fillPlaceholders, type Query } from "drizzle-orm";
import type { Db } from "./client";

type Values = Record<string, unknown>;

/** What Drizzle's `.prepare()` returns, as far as compiling needs it. */
interface Prepared {
  execute(): Promise<unknown>;
  getQuery(): Query;
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
}

/** One statement bound to its values, ready to run alone or in a batch. */
export interface Bound<R> {
  readonly statement: D1PreparedStatement;
  map(result: D1Result): R;
}

/** What a bound statement yields: rows for a read, D1's result for a write. */
export type BoundResult<B> = B extends Bound<infer R> ? R : never;

type Results<T extends readonly Bound<unknown>[]> = { -readonly [K in keyof T]: BoundResult<T[K]> };

/**
 * A statement compiled on first use. `build` must use `sql.placeholder(name)` for every value
 * that varies; `values` supplies them (a missing one throws, which every test would see). Wrap
 * it in a function with typed parameters, so callers never see the placeholder names.
 */
export function compiled<P extends Prepared>(build: (db: Db) => P) {
  let compiledQuery: { query: Query; prepared: P } | undefined;
  return (db: Db, values: Values): Bound<Awaited<ReturnType<P["execute"]>>> => {
    // The prepared query is kept only for its SQL and its row mapping; its statement belongs to
    // the request that compiled it and is never run again.
    compiledQuery ??= (() => {
      const prepared = build(db);
      return { query: prepared.getQuery(), prepared };
    })();
    const { query, prepared } = compiledQuery;
    return {
      statement: db.$client.prepare(query.sql).bind(...fillPlaceholders(query.params, values)),
      // Drizzle's mapping for this statement's kind (rows for reads, the D1 result for writes).
      map: (result) => prepared.mapResult(result, true) as Awaited<ReturnType<P["execute"]>>,
    };
  };
}

/** Runs bound statements as one D1 batch (one round trip, one transaction), results in order. */
export async function runBatch<const T extends readonly Bound<unknown>[]>(db: Db, items: T): Promise<Results<T>> {
  const results = await db.$client.batch(items.map((b) => b.statement));
  if (results.length !== items.length) throw new Error(`D1 answered ${results.length} of ${items.length} statements.`);
  return results.map((result, i) => items[i]?.map(result)) as Results<T>;
}

/**
 * A one-off statement for `runBatch`: a Drizzle builder's `.prepare()`, bound as it is (built
 * every call, as `db.batch` would). For statements off the hot path that share a batch with
 * compiled ones.
 */
export function once<P extends Prepared>(db: Db, prepared: P): Bound<Awaited<ReturnType<P["execute"]>>> {
  const query = prepared.getQuery();
  return {
    statement: db.$client.prepare(query.sql).bind(...fillPlaceholders(query.params, {})),
    map: (result) => prepared.mapResult(result, true) as Awaited<ReturnType<P["execute"]>>,
  };
}
