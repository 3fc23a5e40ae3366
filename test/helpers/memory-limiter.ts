// A Limiter that keeps its buckets in memory with the RateLimiter Durable Object's own arithmetic
// (domain/rate-limit), for unit tests of the limit rules that run without bindings. It records
// the keys it was asked for, so a test sees which bucket a call counted against.
import { takeToken, type Bucket } from "../../domain/rate-limit";
import type { Limiter } from "../../services/limiter";

export function memoryLimiter(now: () => number) {
  const buckets = new Map<string, Bucket>();
  const keys: string[] = [];
  const limiter: Limiter = {
    check: async (key, limit, windowSeconds) => {
      keys.push(key);
      const { decision, bucket } = takeToken(buckets.get(key), now(), limit, windowSeconds);
      buckets.set(key, bucket);
      return decision;
    },
  };
  return { limiter, keys };
}
