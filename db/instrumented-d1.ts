// Wraps a D1 session (or the binding) so that every round trip (a statement run or a batch) is
// timed and counted in the request's metrics, and an outage surfaces as SERVICE_UNAVAILABLE.
// Drizzle sees an ordinary D1Database.
import { timed, type RequestMetrics } from "./metrics";
import { asOutage } from "./unavailable";

function roundTrip<T>(metrics: RequestMetrics, work: () => Promise<T>): Promise<T> {
  return timed(metrics, "db", work).catch((error: unknown) => {
    throw asOutage(error);
  });
}

const RUNS = new Set<PropertyKey>(["first", "all", "run", "raw"]);

/** What drizzle calls on a database: a session has exactly these, the binding has more. */
export type D1Queryable = Pick<D1DatabaseSession, "prepare" | "batch">;

const notOnASession = (name: string) => () => {
  throw new Error(`D1 ${name}() is not available on a session; use the binding`);
};

/**
 * The counted database drizzle runs on. Drizzle's D1 driver asks for a D1Database but only calls
 * `prepare` and `batch`, which a session has; the rest (`exec`, `dump`, `withSession`) throw here
 * rather than being cast away (drizzle does not type sessions yet: drizzle-orm#4522).
 */
export function instrumentD1(d1: D1Queryable, metrics: RequestMetrics): D1Database {
  // Batches must receive the runtime's own statements, so each wrapper remembers its original.
  const originals = new WeakMap<object, D1PreparedStatement>();

  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop): unknown {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement(target.bind(...args));
        // `apply` returns `any`; Promise.resolve types it and hands back the runtime's promise itself.
        if (RUNS.has(prop)) return (...args: unknown[]) => roundTrip(metrics, () => Promise.resolve<unknown>(value.apply(target, args)));
        return value.bind(target);
      },
    });
    originals.set(proxy, stmt);
    return proxy;
  };

  return {
    prepare: (query: string) => wrapStatement(d1.prepare(query)),
    batch: <T = unknown>(stmts: D1PreparedStatement[]) => roundTrip(metrics, () => d1.batch<T>(stmts.map((s) => originals.get(s) ?? s))),
    exec: notOnASession("exec"),
    dump: notOnASession("dump"),
    withSession: notOnASession("withSession"),
  };
}
