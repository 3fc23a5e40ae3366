// Token-bucket arithmetic for rate limits: a full bucket of `limit` tokens refills evenly over
// the window, and each allowed call takes one token.
export interface Bucket {
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

/** The decision for one call at `now`, and the bucket to store after it. */
export function takeToken(stored: Bucket | undefined, now: number, limit: number, windowSeconds: number) {
  const ratePerMs = limit / (windowSeconds * 1000);
  const elapsed = stored ? Math.max(0, now - stored.updatedAt) : 0;
  const tokens = stored ? Math.min(limit, stored.tokens + elapsed * ratePerMs) : limit;
  const allowed = tokens >= 1;
  const left = allowed ? tokens - 1 : tokens;
  const decision: RateLimitDecision = {
    allowed,
    limit,
    remaining: Math.floor(left),
    resetSeconds: Math.ceil((limit - left) / ratePerMs / 1000),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - left) / ratePerMs / 1000)),
  };
  return { decision, bucket: { tokens: left, updatedAt: now } satisfies Bucket };
}
