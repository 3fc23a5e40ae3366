// Enforces the rate limits declared in `.meta({ rateLimit })`, each key counted by its own
// RateLimiter Durable Object. The procedure builders (trpc.ts) call it before the resolver, so
// before any password hashing.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import type { Context } from "./context";
import type { Meta, RateLimitRule } from "./init";
import { Email } from "./inputs";

// The procedure's own Email schema, so the key is the account the procedure will act on.
const EmailInput = z.looseObject({ email: Email });

/** The key a rule counts under. A rule never skips itself: a call it cannot key is refused. */
function subjectOf(rule: RateLimitRule, ctx: { ip: string; user: { id: string } | null }, rawInput: unknown): string {
  if (rule.key === "ip") return ctx.ip;
  if (rule.key === "user") {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
    return ctx.user.id;
  }
  const parsed = EmailInput.safeParse(rawInput);
  // The same refusal input validation would give, with its field issues.
  if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: parsed.error });
  return parsed.data.email;
}

interface LimitedCall {
  ctx: Context;
  meta: Meta | undefined;
  path: string;
  getRawInput: () => Promise<unknown>;
}

/** Throws TOO_MANY_REQUESTS (with Retry-After) when a rule refuses the call; sets RateLimit-* headers. */
export async function enforceRateLimits({ ctx, meta, path, getRawInput }: LimitedCall): Promise<void> {
  const rules: readonly RateLimitRule[] = meta?.rateLimit ? [meta.rateLimit].flat() : [];
  if (rules.length === 0) return;
  const rawInput = rules.some((r) => r.key === "email") ? await getRawInput() : undefined;
  const decisions = await Promise.all(
    rules.map(async (rule) => {
      const subject = subjectOf(rule, ctx, rawInput);
      try {
        return await ctx.limiter.check(`${path}|${rule.key}|${subject}`, rule.limit, rule.windowSeconds);
      } catch (error) {
        // Fail closed: the limited procedures (auth, writes) must not run unlimited.
        ctx.log.error("rate_limiter.failed", { path, error: String(error) });
        throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Temporarily unavailable; try again shortly." });
      }
    }),
  );
  // Report the tightest limit, in the IETF RateLimit header fields.
  const tightest = decisions.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  ctx.resHeaders.set("RateLimit-Limit", String(tightest.limit));
  ctx.resHeaders.set("RateLimit-Remaining", String(tightest.remaining));
  ctx.resHeaders.set("RateLimit-Reset", String(tightest.resetSeconds));
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length > 0) {
    const retryAfter = Math.max(...refused.map((d) => d.retryAfterSeconds));
    ctx.resHeaders.set("Retry-After", String(retryAfter));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many requests; try again in ${retryAfter} s.` });
  }
}
