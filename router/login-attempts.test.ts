// Unit tests of which bucket a login attempt counts against (OWASP's device cookies); the lockout
// through HTTP is tested in test/lockout.test.ts.
import { describe, expect, it } from "vitest";
import { signDeviceToken, verifyDeviceToken } from "../domain/device-token";
import { createLogger } from "../lib/log";
import { testConfig } from "../test/helpers/app-config";
import { memoryLimiter } from "../test/helpers/memory-limiter";
import { DEVICE_LOGIN_LIMIT, issueDeviceToken, limitLoginAttempt, UNTRUSTED_LOGIN_LIMIT, type DeviceTrustLookup } from "./login-attempts";

const SECRET = "login-secret-login-secret-login-0123456";
const PREVIOUS = "previous-secret-previous-secret-0123456";
const EMAIL = "ada@example.test";
const NOW = Date.UTC(2026, 5, 1, 12);

const config = (previousSecret?: string) =>
  testConfig({ tokens: { secret: SECRET, previousSecret, issuer: "storefront", audience: "storefront-api" } });

function loginContext(options: { cookieHeader?: string; previousSecret?: string } = {}) {
  const { limiter, keys } = memoryLimiter(() => NOW);
  const ctx = {
    config: config(options.previousSecret),
    cookieHeader: options.cookieHeader ?? null,
    limiter,
    log: createLogger(),
    now: () => NOW,
    resHeaders: new Headers(),
  };
  return { ctx, keys };
}

/** Attempts `n` logins; the outcome of each: "ok" or the refusal's tRPC code. */
// An account created long before any token here, never signed out everywhere: every verified token is trusted.
const ALWAYS: DeviceTrustLookup = () => Promise.resolve({ createdAt: 0, revokedBefore: null });

async function attempts(ctx: ReturnType<typeof loginContext>["ctx"], n: number, email: string, token?: string, trust = ALWAYS) {
  const outcomes: string[] = [];
  for (let i = 0; i < n; i++) {
    outcomes.push(
      await limitLoginAttempt(ctx, email, token, trust).then(
        () => "ok",
        (error: unknown) => (error instanceof Error && "code" in error ? String(error.code) : "thrown"),
      ),
    );
  }
  return outcomes;
}

const nonceOf = (token: string) => token.split(".")[0];

describe("login attempts", () => {
  it("allow 10 untrusted attempts per account per 15 minutes, and 10 per known device", () => {
    expect(UNTRUSTED_LOGIN_LIMIT).toEqual({ limit: 10, windowSeconds: 900 });
    expect(DEVICE_LOGIN_LIMIT).toEqual({ limit: 10, windowSeconds: 900 });
  });

  it("count an attempt without a device token against the account, and refuse the 11th with Retry-After", async () => {
    const { ctx, keys } = loginContext();
    expect(await attempts(ctx, 11, EMAIL)).toEqual([...Array<string>(10).fill("ok"), "TOO_MANY_REQUESTS"]);
    expect(new Set(keys)).toEqual(new Set([`auth.login|email|${EMAIL}`]));
    expect(Number(ctx.resHeaders.get("retry-after"))).toBeGreaterThan(0);
    expect(ctx.resHeaders.get("ratelimit-remaining")).toBe("0");
  });

  it("count a known device's attempts against that device only, so an attacked account's owner still gets in", async () => {
    const { ctx, keys } = loginContext();
    const device = await signDeviceToken(SECRET, EMAIL, NOW);
    expect(await attempts(ctx, 10, EMAIL)).toEqual(Array(10).fill("ok"));
    expect(await attempts(ctx, 1, EMAIL)).toEqual(["TOO_MANY_REQUESTS"]);
    ctx.resHeaders = new Headers(); // a new request
    expect(await attempts(ctx, 1, EMAIL, device)).toEqual(["ok"]);
    expect(keys.at(-1)).toBe(`auth.login|device|${nonceOf(device)}`);
    expect(ctx.resHeaders.get("ratelimit-remaining")).toBe("9");
  });

  it("count a device token issued before the account's devices were revoked (a password reset) as untrusted", async () => {
    const { ctx, keys } = loginContext();
    const device = await signDeviceToken(SECRET, EMAIL, NOW - 60_000);
    const revokedAt =
      (at: number): DeviceTrustLookup =>
      () =>
        Promise.resolve({ createdAt: 0, revokedBefore: at });
    await limitLoginAttempt(ctx, EMAIL, device, revokedAt(NOW - 120_000));
    expect(keys.at(-1)).toBe(`auth.login|device|${nonceOf(device)}`);
    await limitLoginAttempt(ctx, EMAIL, device, revokedAt(NOW - 30_000));
    expect(keys.at(-1)).toBe(`auth.login|email|${EMAIL}`);
  });

  it("read the device token from the cookie when the body has none, and prefer the body's", async () => {
    const cookieDevice = await signDeviceToken(SECRET, EMAIL, NOW);
    const bodyDevice = await signDeviceToken(SECRET, EMAIL, NOW);
    const { ctx, keys } = loginContext({ cookieHeader: `theme=dark; sf_device=${cookieDevice}` });
    await attempts(ctx, 1, EMAIL);
    await attempts(ctx, 1, EMAIL, bodyDevice);
    expect(keys).toEqual([`auth.login|device|${nonceOf(cookieDevice)}`, `auth.login|device|${nonceOf(bodyDevice)}`]);
  });

  it("trust a device token only for the account it was issued for", async () => {
    const { ctx, keys } = loginContext();
    await attempts(ctx, 1, EMAIL, await signDeviceToken(SECRET, "eve@example.test", NOW));
    await attempts(ctx, 1, EMAIL, "forged.1800000000.token");
    expect(keys).toEqual([`auth.login|email|${EMAIL}`, `auth.login|email|${EMAIL}`]);
  });

  it("keep trusting devices signed with the previous secret during a rotation", async () => {
    const device = await signDeviceToken(PREVIOUS, EMAIL, NOW);
    const rotating = loginContext({ previousSecret: PREVIOUS });
    await attempts(rotating.ctx, 1, EMAIL, device);
    expect(rotating.keys).toEqual([`auth.login|device|${nonceOf(device)}`]);
    const after = loginContext();
    await attempts(after.ctx, 1, EMAIL, device);
    expect(after.keys).toEqual([`auth.login|email|${EMAIL}`]);
  });

  it("count a device that used up its own attempts as untrusted from then on", async () => {
    const { ctx, keys } = loginContext();
    const stolen = await signDeviceToken(SECRET, EMAIL, NOW);
    expect(await attempts(ctx, 10, EMAIL, stolen)).toEqual(Array(10).fill("ok"));
    expect(await attempts(ctx, 1, EMAIL, stolen)).toEqual(["ok"]);
    expect(keys.slice(-2)).toEqual([`auth.login|device|${nonceOf(stolen)}`, `auth.login|email|${EMAIL}`]);
  });

  it("count a device token of an account signed out everywhere since, or no longer there, as untrusted", async () => {
    const { ctx, keys } = loginContext();
    const token = await signDeviceToken(SECRET, EMAIL, NOW - 60_000);
    const revoked: DeviceTrustLookup = () => Promise.resolve({ createdAt: 0, revokedBefore: NOW - 1_000 });
    const gone: DeviceTrustLookup = () => Promise.resolve(undefined);
    const signedUpAgain: DeviceTrustLookup = () => Promise.resolve({ createdAt: NOW - 1_000, revokedBefore: null });
    expect(await attempts(ctx, 1, EMAIL, token, revoked)).toEqual(["ok"]);
    expect(await attempts(ctx, 1, EMAIL, token, gone)).toEqual(["ok"]);
    expect(await attempts(ctx, 1, EMAIL, token, signedUpAgain)).toEqual(["ok"]);
    expect(keys).toEqual(Array(3).fill(`auth.login|email|${EMAIL}`));
    expect(await attempts(ctx, 1, EMAIL, token)).toEqual(["ok"]);
    expect(keys.at(-1)).toBe(`auth.login|device|${nonceOf(token)}`);
  });

  it("issue a device token for the account as an HttpOnly cookie and return it", async () => {
    const { ctx } = loginContext();
    const token = await issueDeviceToken(ctx, EMAIL);
    expect(await verifyDeviceToken([SECRET], EMAIL, token, NOW)).toBe(nonceOf(token));
    expect(ctx.resHeaders.get("set-cookie")).toMatch(
      new RegExp(`^sf_device=${token.replace(/[.]/g, "\\.")}; Max-Age=15552000; Path=/trpc; HttpOnly; Secure; SameSite=Strict$`),
    );
  });
});
