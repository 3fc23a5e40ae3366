// Rate limits, each key counted by its own RateLimiter Durable Object: the rules declared in
// `.meta({ rateLimit })`, which the procedure builders (trpc.ts) enforce before input validation
// and the resolver, so before any password hashing; and the buckets a resolver takes a token from
// itself once its input is known (the per-account login limit, login-attempts.ts).
import { TRPCError } from "@trpc/server";
import type { RateLimitDecision } from "../domain/rate-limit";
import type { Context } from "./context";
import type { Meta, RateLimitRule } from "./init";

export interface Limit {
  limit: number;
  windowSeconds: number;
}

type LimiterContext = Pick<Context, "limiter" | "log" | "resHeaders">;

/** The key a rule counts under. A rule never skips itself: a call it cannot key is refused. */
export function subjectOf(rule: RateLimitRule, ctx: { ip: string; user: { id: string } | null }): string {
  if (rule.key === "ip") return ctx.ip;
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
  return ctx.user.id;
}

/** One token from the bucket `key`. */
export async function takeToken(ctx: LimiterContext, key: string, { limit, windowSeconds }: Limit): Promise<RateLimitDecision> {
  try {
    return await ctx.limiter.check(key, limit, windowSeconds);
  } catch (error) {
    // Fail closed: the limited procedures (auth, writes) must not run unlimited.
    ctx.log.error("rate_limiter.failed", { path: key.split("|", 1)[0], error: String(error) });
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Temporarily unavailable; try again shortly." });
  }
}

/** Sets the RateLimit-* headers; throws TOO_MANY_REQUESTS (with Retry-After) when a decision refused. */
export function applyDecisions(ctx: Pick<Context, "resHeaders">, decisions: readonly RateLimitDecision[]): void {
  if (decisions.length === 0) return;
  // Report the tightest limit, in the IETF RateLimit header fields, also across the checks of one
  // call (the builder's per-IP rule, then the resolver's per-account bucket).
  const tightest = decisions.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  const reported = ctx.resHeaders.get("RateLimit-Remaining");
  if (reported === null || tightest.remaining <= Number(reported)) {
    ctx.resHeaders.set("RateLimit-Limit", String(tightest.limit));
    ctx.resHeaders.set("RateLimit-Remaining", String(tightest.remaining));
    ctx.resHeaders.set("RateLimit-Reset", String(tightest.resetSeconds));
  }
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length > 0) {
    const retryAfter = Math.max(...refused.map((d) => d.retryAfterSeconds));
    ctx.resHeaders.set("Retry-After", String(retryAfter));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many requests; try again in ${retryAfter} s.` });
  }
}

/** Enforces the procedure's `meta.rateLimit` rules. */
export async function enforceRateLimits({ ctx, meta, path }: { ctx: Context; meta: Meta | undefined; path: string }): Promise<void> {
  if (!meta?.rateLimit) return;
  const rules: readonly RateLimitRule[] = [meta.rateLimit].flat();
  applyDecisions(ctx, await Promise.all(rules.map((rule) => takeToken(ctx, `${path}|${rule.key}|${subjectOf(rule, ctx)}`, rule))));
}
