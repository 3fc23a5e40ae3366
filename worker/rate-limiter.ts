// The RateLimiter Durable Object: one object per limit key, a token bucket (domain/rate-limit)
// persisted in the object's SQLite storage. A Durable Object runs one call at a time and `check`
// does not await, so under any concurrency exactly `limit` calls pass per full bucket.
import { DurableObject } from "cloudflare:workers";
import { takeToken, type Bucket, type RateLimitDecision } from "../domain/rate-limit";

export class RateLimiter extends DurableObject<Env> {
  check(limit: number, windowSeconds: number): RateLimitDecision {
    const { decision, bucket } = takeToken(this.ctx.storage.kv.get<Bucket>("bucket"), Date.now(), limit, windowSeconds);
    this.ctx.storage.kv.put("bucket", bucket);
    return decision;
  }
}
