// Unit tests of the rate-limit rules that need no bindings: what a declared rule counts, how a
// limiter failure is answered, and what the caller is told. The limits themselves are tested
// through HTTP in test/rate-limit.test.ts.
import { describe, expect, it } from "vitest";
import type { RateLimitDecision } from "../domain/rate-limit";
import { createLogger, type LogFields } from "../lib/log";
import { memoryLimiter } from "../test/helpers/memory-limiter";
import { applyDecisions, subjectOf, takeToken } from "./rate-limit";

const rule = (key: "ip" | "user") => ({ key, limit: 10, windowSeconds: 60 });
const signedIn = { ip: "203.0.113.7", user: { id: "user-1" } };
const anonymous = { ip: "203.0.113.8", user: null };
const decision = (over: Partial<RateLimitDecision>): RateLimitDecision => ({
  allowed: true,
  limit: 10,
  remaining: 5,
  resetSeconds: 30,
  retryAfterSeconds: 0,
  ...over,
});
const headersOf = (h: Headers) => Object.fromEntries(h.entries());

describe("rate-limit subjects", () => {
  it("counts per IP the caller's address, signed in or not", () => {
    expect(subjectOf(rule("ip"), signedIn)).toBe("203.0.113.7");
    expect(subjectOf(rule("ip"), anonymous)).toBe("203.0.113.8");
  });

  it("counts per user the signed-in user", () => {
    expect(subjectOf(rule("user"), signedIn)).toBe("user-1");
  });

  it("refuses, rather than skips, a per-user rule for an anonymous caller", () => {
    expect(() => subjectOf(rule("user"), anonymous)).toThrow(
      expect.objectContaining({ code: "UNAUTHORIZED", message: "Sign in to do this." }),
    );
  });
});

describe("taking a token", () => {
  it("asks the limiter for the key's bucket", async () => {
    const { limiter, keys } = memoryLimiter(() => 0);
    const ctx = { limiter, log: createLogger(), resHeaders: new Headers() };
    expect(await takeToken(ctx, "auth.signup|ip|1.2.3.4", { limit: 2, windowSeconds: 60 })).toMatchObject({
      allowed: true,
      limit: 2,
      remaining: 1,
    });
    expect(keys).toEqual(["auth.signup|ip|1.2.3.4"]);
  });

  it("fails closed with SERVICE_UNAVAILABLE when the limiter is down, and logs the procedure", async () => {
    const logged: [string, LogFields | undefined][] = [];
    const log = { ...createLogger(), error: (event: string, fields?: LogFields) => void logged.push([event, fields]) };
    const down = { check: () => Promise.reject(new Error("limiter down")) };
    await expect(
      takeToken({ limiter: down, log, resHeaders: new Headers() }, "auth.login|ip|1.2.3.4", { limit: 2, windowSeconds: 60 }),
    ).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: "Temporarily unavailable; try again shortly.",
    });
    expect(logged).toEqual([["rate_limiter.failed", { path: "auth.login", error: "Error: limiter down" }]]);
  });
});

describe("telling the caller", () => {
  it("says nothing when no rule applied", () => {
    const ctx = { resHeaders: new Headers() };
    applyDecisions(ctx, []);
    expect(headersOf(ctx.resHeaders)).toEqual({});
  });

  it("reports the tightest of the call's limits in the RateLimit header fields", () => {
    const ctx = { resHeaders: new Headers() };
    applyDecisions(ctx, [
      decision({ limit: 30, remaining: 20, resetSeconds: 100 }),
      decision({ limit: 10, remaining: 3, resetSeconds: 70 }),
    ]);
    expect(headersOf(ctx.resHeaders)).toEqual({ "ratelimit-limit": "10", "ratelimit-remaining": "3", "ratelimit-reset": "70" });
    const first = { resHeaders: new Headers() };
    applyDecisions(first, [
      decision({ limit: 10, remaining: 3, resetSeconds: 70 }),
      decision({ limit: 30, remaining: 20, resetSeconds: 100 }),
    ]);
    expect(first.resHeaders.get("ratelimit-limit")).toBe("10");
  });

  it("keeps a tighter limit reported earlier in the same call, and replaces a looser one", () => {
    const ctx = { resHeaders: new Headers() };
    applyDecisions(ctx, [decision({ limit: 10, remaining: 2, resetSeconds: 50 })]);
    applyDecisions(ctx, [decision({ limit: 30, remaining: 25, resetSeconds: 10 })]);
    expect(headersOf(ctx.resHeaders)).toEqual({ "ratelimit-limit": "10", "ratelimit-remaining": "2", "ratelimit-reset": "50" });
    applyDecisions(ctx, [decision({ limit: 5, remaining: 2, resetSeconds: 40 })]);
    expect(headersOf(ctx.resHeaders)).toEqual({ "ratelimit-limit": "5", "ratelimit-remaining": "2", "ratelimit-reset": "40" });
  });

  it("refuses with TOO_MANY_REQUESTS and the longest Retry-After of the refusing limits", () => {
    const ctx = { resHeaders: new Headers() };
    const refusal = () =>
      applyDecisions(ctx, [
        decision({ allowed: false, remaining: 0, retryAfterSeconds: 12 }),
        decision({ allowed: true, remaining: 4 }),
        decision({ allowed: false, remaining: 0, retryAfterSeconds: 40 }),
      ]);
    expect(refusal).toThrow(expect.objectContaining({ code: "TOO_MANY_REQUESTS", message: "Too many requests; try again in 40 s." }));
    expect(ctx.resHeaders.get("retry-after")).toBe("40");
  });

  it("lets an allowed call through without Retry-After", () => {
    const ctx = { resHeaders: new Headers() };
    expect(() => applyDecisions(ctx, [decision({ allowed: true })])).not.toThrow();
    expect(ctx.resHeaders.get("retry-after")).toBeNull();
  });
});
