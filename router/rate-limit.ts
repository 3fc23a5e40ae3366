// Enforces the rate limits declared in `.meta({ rateLimit })`, each key counted by its own
// RateLimiter Durable Object. The procedure builders (trpc.ts) call it before the resolver, so
// before any password hashing.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import type { Context } from "./context";
import type { Meta, RateLimitRule } from "./init";

const EmailInput = z.object({ email: z.string().max(320) });

function subjectOf(rule: RateLimitRule, ctx: { ip: string; user: { id: string } | null }, rawInput: unknown) {
  if (rule.key === "ip") return ctx.ip;
  if (rule.key === "user") return ctx.user?.id;
  const parsed = EmailInput.safeParse(rawInput);
  return parsed.success ? parsed.data.email.trim().toLowerCase() : undefined;
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
      if (!subject) return null;
      try {
        return await ctx.limiter.check(`${path}|${rule.key}|${subject}`, rule.limit, rule.windowSeconds);
      } catch (error) {
        // Fail closed: the limited procedures (auth, writes) must not run unlimited.
        ctx.log.error("rate_limiter.failed", { path, error: String(error) });
        throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Temporarily unavailable; try again shortly." });
      }
    }),
  );
  const applied = decisions.filter((d) => d !== null);
  if (applied.length === 0) return;
  // Report the tightest limit, in the IETF RateLimit header fields.
  const tightest = applied.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  ctx.resHeaders.set("RateLimit-Limit", String(tightest.limit));
  ctx.resHeaders.set("RateLimit-Remaining", String(tightest.remaining));
  ctx.resHeaders.set("RateLimit-Reset", String(tightest.resetSeconds));
  const refused = applied.filter((d) => !d.allowed);
  if (refused.length > 0) {
    const retryAfter = Math.max(...refused.map((d) => d.retryAfterSeconds));
    ctx.resHeaders.set("Retry-After", String(retryAfter));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many requests; try again in ${retryAfter} s.` });
  }
}
