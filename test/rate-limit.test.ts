import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signedUpUser, STRONG_PASSWORD, uniqueIp } from "./helpers/client";

describe("RateLimiter Durable Object", () => {
  it("lets exactly `limit` of many concurrent calls through", async () => {
    const limiter = env.RATE_LIMITER.getByName(`test|${crypto.randomUUID()}`);
    const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.check(7, 60)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
    const refused = decisions.find((d) => !d.allowed)!;
    expect(refused.remaining).toBe(0);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it("keeps separate buckets per key", async () => {
    const a = env.RATE_LIMITER.getByName(`test|${crypto.randomUUID()}`);
    const b = env.RATE_LIMITER.getByName(`test|${crypto.randomUUID()}`);
    await Promise.all(Array.from({ length: 3 }, () => a.check(3, 60)));
    expect((await a.check(3, 60)).allowed).toBe(false);
    expect((await b.check(3, 60)).allowed).toBe(true);
  });
});

describe("login rate limits", () => {
  // 11 real Argon2id derivations: seconds on a busy machine.
  it("limits attempts per account with 429, Retry-After and RateLimit headers", { timeout: 60_000 }, async () => {
    const { email } = await signedUpUser();
    const attempt = (ip: string) =>
      fetchLogin(ip, { email, password: "Wrong-password-9" }).then((r) => ({ status: r.status, headers: r.headers }));
    // From many IPs at once, so only the per-account limit (10 per 15 min) can refuse.
    const results = await Promise.all(Array.from({ length: 14 }, () => attempt(uniqueIp())));
    expect(results.filter((r) => r.status === 401)).toHaveLength(10);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(4);
    expect(Number(limited[0]?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited[0]?.headers.get("ratelimit-remaining")).toBe("0");
    // A locked account answers the same for the right password: no way to confirm it.
    expect((await fetchLogin(uniqueIp(), { email, password: STRONG_PASSWORD })).status).toBe(429);
  });

  it("counts a login whose email is padded past 320 characters against the same account", { timeout: 60_000 }, async () => {
    const { email } = await signedUpUser();
    // Valid once trimmed (the login schema trims, then caps at 254), so it names the same account.
    const padded = `${" ".repeat(200)}${email.toUpperCase()}${" ".repeat(200)}`;
    expect(padded.length).toBeGreaterThan(320);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => fetchLogin(uniqueIp(), { email: padded, password: "Wrong-password-9" })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(401));
    expect((await fetchLogin(uniqueIp(), { email, password: STRONG_PASSWORD })).status).toBe(429);
    expect((await fetchLogin(uniqueIp(), { email: padded, password: STRONG_PASSWORD })).status).toBe(429);
  });

  // 30 real Argon2id derivations one after another: seconds on a busy machine.
  it("limits attempts per IP across accounts", { timeout: 60_000 }, async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 40 && (statuses.length < 30 || statuses.at(-1) !== 429); i++) {
      statuses.push((await fetchLogin(ip, { email: `nobody${i}@example.test`, password: "x" })).status);
    }
    // The bucket refills one attempt per 10 s (30 per 5 min), so a slow run may earn a few more.
    const refilled = Math.floor((Date.now() - started) / 10_000);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.length - 31).toBeLessThanOrEqual(refilled);
  });
});

function fetchLogin(ip: string, input: { email: string; password: string }) {
  return SELF.fetch("http://storefront.test/trpc/auth.login", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ json: input }),
  });
}
