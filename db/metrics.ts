// Per-request counters of time spent waiting on D1 and KV, reported in Server-Timing and used
// by tests to count D1 round trips.
export interface RequestMetrics {
  dbMs: number;
  dbCalls: number;
  cacheMs: number;
}

export const newMetrics = (): RequestMetrics => ({ dbMs: 0, dbCalls: 0, cacheMs: 0 });

export async function timed<T>(metrics: RequestMetrics, kind: "db" | "cache", work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    const ms = performance.now() - start;
    if (kind === "db") {
      metrics.dbMs += ms;
      metrics.dbCalls += 1;
    } else metrics.cacheMs += ms;
  }
}
