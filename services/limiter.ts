// The rate limiter procedures use: one strongly consistent counter per key, each a RateLimiter
// Durable Object. Behind an interface so tests and tools can count with something else.
import type { RateLimitDecision } from "../domain/rate-limit";

export interface Limiter {
  check(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
}

export const durableObjectLimiter = (namespace: Env["RATE_LIMITER"]): Limiter => ({
  check: (key, limit, windowSeconds) => namespace.getByName(key).check(limit, windowSeconds),
});
