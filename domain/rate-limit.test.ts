import { describe, expect, it } from "vitest";
import { takeToken, type Bucket } from "./rate-limit";

const T = 1_800_000_000_000;

/** Takes `n` tokens one after another at time `at`, starting from `bucket`. */
function drain(n: number, limit: number, windowSeconds: number, at = T, bucket?: Bucket) {
  let stored = bucket;
  const decisions = [];
  for (let i = 0; i < n; i++) {
    const { decision, bucket: next } = takeToken(stored, at, limit, windowSeconds);
    decisions.push(decision);
    stored = next;
  }
  return { decisions, bucket: stored };
}

describe("token buckets", () => {
  it("start full and let exactly `limit` calls through", () => {
    const { decisions } = drain(4, 3, 60);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
  });

  it("report the limit, when the bucket is full again, and when to retry", () => {
    const { decisions } = drain(4, 3, 60);
    // 3 per 60 s refills one token every 20 s.
    expect(decisions[0]).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 20, retryAfterSeconds: 0 });
    expect(decisions[2]).toEqual({ allowed: true, limit: 3, remaining: 0, resetSeconds: 60, retryAfterSeconds: 0 });
    expect(decisions[3]).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 60, retryAfterSeconds: 20 });
  });

  it("store what is left and when", () => {
    expect(takeToken(undefined, T, 3, 60).bucket).toEqual({ tokens: 2, updatedAt: T });
    expect(takeToken({ tokens: 0.5, updatedAt: T }, T, 3, 60).bucket).toEqual({ tokens: 0.5, updatedAt: T });
  });

  it("refill evenly over the window, never beyond the limit", () => {
    const empty = drain(3, 3, 60).bucket;
    expect(takeToken(empty, T + 19_999, 3, 60).decision.allowed).toBe(false);
    expect(takeToken(empty, T + 20_000, 3, 60).decision).toMatchObject({ allowed: true, remaining: 0 });
    expect(takeToken(empty, T + 3_600_000, 3, 60).decision).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("tell a refused call to wait at least a second", () => {
    const nearlyFull = { tokens: 0.9999, updatedAt: T };
    expect(takeToken(nearlyFull, T, 3, 60).decision).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it("do not refill when the clock goes back", () => {
    const { decision } = takeToken({ tokens: 0, updatedAt: T }, T - 60_000, 3, 60);
    expect(decision).toMatchObject({ allowed: false, remaining: 0 });
  });
});
