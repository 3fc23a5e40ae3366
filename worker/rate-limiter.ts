// The RateLimiter Durable Object: one object per limit key, a token bucket persisted in the
// object's SQLite storage. A Durable Object runs one call at a time and `check` does not await,
// so under any concurrency exactly `limit` calls pass per full bucket.
import { DurableObject } from "cloudflare:workers";

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next call would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

export class RateLimiter extends DurableObject<Env> {
  check(limit: number, windowSeconds: number): RateLimitDecision {
    const now = Date.now();
    const ratePerMs = limit / (windowSeconds * 1000);
    const stored = this.ctx.storage.kv.get<Bucket>("bucket");
    const elapsed = stored ? Math.max(0, now - stored.updatedAt) : 0;
    const tokens = stored ? Math.min(limit, stored.tokens + elapsed * ratePerMs) : limit;
    const allowed = tokens >= 1;
    const left = allowed ? tokens - 1 : tokens;
    this.ctx.storage.kv.put("bucket", { tokens: left, updatedAt: now });
    return {
      allowed,
      limit,
      remaining: Math.floor(left),
      resetSeconds: Math.ceil((limit - left) / ratePerMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - left) / ratePerMs / 1000)),
    };
  }
}
