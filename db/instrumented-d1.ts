// Wraps the D1 binding so that every round trip (a statement run or a batch) is timed and
// counted in the request's metrics, and an outage surfaces as SERVICE_UNAVAILABLE. Drizzle
// sees an ordinary D1Database.
import { timed, type RequestMetrics } from "./metrics";
import { asOutage } from "./unavailable";

function roundTrip<T>(metrics: RequestMetrics, work: () => Promise<T>): Promise<T> {
  return timed(metrics, "db", work).catch((error: unknown) => {
    throw asOutage(error);
  });
}

const RUNS = new Set<PropertyKey>(["first", "all", "run", "raw"]);

export function instrumentD1(d1: D1Database, metrics: RequestMetrics): D1Database {
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

  return new Proxy(d1, {
    get(target, prop): unknown {
      if (prop === "prepare") return (query: string) => wrapStatement(target.prepare(query));
      if (prop === "batch")
        return (stmts: D1PreparedStatement[]) => roundTrip(metrics, () => target.batch(stmts.map((s) => originals.get(s) ?? s)));
      if (prop === "exec") return (query: string) => roundTrip(metrics, () => target.exec(query));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
