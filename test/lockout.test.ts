// The per-account login limit must stop guessing without letting anyone lock the owner out
// (OWASP device cookies): a browser that once signed in to an account has its own attempt
// bucket; only untrusted attempts share the bucket an attacker can empty. Few real hashes per
// test (a refused attempt does not hash), and honest timeouts for the ones there are.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEVICE_TOKEN_TTL_SECONDS, signDeviceToken, verifyDeviceToken } from "../domain/device-token";
import { signedUpUser, STRONG_PASSWORD, uniqueIp } from "./helpers/client";

const WRONG = "Wrong-password-9";
const SLOW = { timeout: 60_000 };

interface Attempt {
  status: number;
  /** The `sf_device=…` pair of the Set-Cookie header, ready for a Cookie header. */
  deviceCookie: string | undefined;
  deviceToken: string | undefined;
}

async function login(input: Record<string, unknown>, options: { cookie?: string } = {}): Promise<Attempt> {
  const response = await SELF.fetch("http://storefront.test/trpc/auth.login", {
    method: "POST",
    // A fresh IP per attempt, so only the per-account and per-device limits can refuse.
    headers: { "content-type": "application/json", "cf-connecting-ip": uniqueIp(), ...(options.cookie ? { cookie: options.cookie } : {}) },
    body: JSON.stringify({ json: input }),
  });
  const body: { result?: { data: { json: { deviceToken?: string } } } } = await response.json();
  const deviceCookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";", 1).join(""))
    .find((c) => c.startsWith("sf_device="));
  return { status: response.status, deviceCookie, deviceToken: body.result?.data.json.deviceToken };
}

const statuses = (attempts: Attempt[]) => attempts.map((a) => a.status).sort();
const times = <T>(n: number, make: () => Promise<T>) => Promise.all(Array.from({ length: n }, make));

/** A signed-up account and the device cookie of one successful login (which takes one untrusted token). */
async function ownerWithDevice() {
  const { email } = await signedUpUser();
  const first = await login({ email, password: STRONG_PASSWORD });
  expect(first.status).toBe(200);
  expect(first.deviceCookie).toMatch(/^sf_device=[A-Za-z0-9._-]+$/);
  return { email, cookie: first.deviceCookie!, token: first.deviceToken! };
}

describe("device tokens", () => {
  const secret = "device-test-secret-0123456789abcdef";
  const previous = "device-old-secret-0123456789abcdef";
  const email = "owner@example.test";
  const now = Date.UTC(2025, 0, 1);
  const day = 24 * 3600 * 1000;

  it("verify for the email they were issued for, to their nonce, until they expire", async () => {
    const token = await signDeviceToken(secret, email, now);
    const nonce = token.split(".")[0];
    expect(await verifyDeviceToken([secret], email, token, now)).toBe(nonce);
    expect(await verifyDeviceToken([secret], email, token, now + DEVICE_TOKEN_TTL_SECONDS * 1000)).toBe(nonce);
    expect(await verifyDeviceToken([secret], email, token, now + DEVICE_TOKEN_TTL_SECONDS * 1000 + 1000)).toBeNull();
    expect(await verifyDeviceToken([secret], "other@example.test", token, now)).toBeNull();
    // Two tokens for one device are two devices: each login gets a fresh nonce.
    expect((await signDeviceToken(secret, email, now)).split(".")[0]).not.toBe(nonce);
  });

  it("refuse a token issued in the future, beyond clock skew", async () => {
    expect(await verifyDeviceToken([secret], email, await signDeviceToken(secret, email, now + 20_000), now)).not.toBeNull();
    expect(await verifyDeviceToken([secret], email, await signDeviceToken(secret, email, now + day), now)).toBeNull();
  });

  it("stay valid through a key rotation while the previous key is configured, and only then", async () => {
    const token = await signDeviceToken(previous, email, now);
    expect(await verifyDeviceToken([secret, previous], email, token, now)).toBe(token.split(".")[0]);
    expect(await verifyDeviceToken([secret], email, token, now)).toBeNull();
  });
});

describe("the device cookie", () => {
  it("is set after a successful login: HttpOnly, Secure, SameSite=Strict, scoped to the API, long-lived", SLOW, async () => {
    const { email } = await signedUpUser();
    const response = await SELF.fetch("http://storefront.test/trpc/auth.login", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": uniqueIp() },
      body: JSON.stringify({ json: { email, password: STRONG_PASSWORD } }),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("sf_device="));
    expect(cookie).toBeDefined();
    for (const flag of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/trpc", `Max-Age=${180 * 24 * 3600}`])
      expect(cookie).toContain(flag);
    // Not after a failed one.
    const failed = await login({ email, password: WRONG });
    expect(failed).toMatchObject({ status: 401, deviceCookie: undefined });
  });
});

describe("login lockout", () => {
  it("locks untrusted logins of an attacked account but not its owner's known device", SLOW, async () => {
    const owner = await ownerWithDevice();
    // The owner's login took one of the 10 untrusted tokens: 9 guesses hash, the rest are refused.
    const attack = await times(12, () => login({ email: owner.email, password: WRONG }));
    expect(statuses(attack)).toEqual([...Array<number>(9).fill(401), ...Array<number>(3).fill(429)]);
    expect((await login({ email: owner.email, password: STRONG_PASSWORD })).status).toBe(429);
    // The owner's browser, and an API client that kept the token from the login's result, still get in.
    const browser = await login({ email: owner.email, password: STRONG_PASSWORD }, { cookie: owner.cookie });
    expect(browser.status).toBe(200);
    expect(browser.deviceCookie).toMatch(/^sf_device=/);
    expect((await login({ email: owner.email, password: STRONG_PASSWORD, deviceToken: owner.token })).status).toBe(200);
  });

  it("does not count malformed logins against the account", SLOW, async () => {
    const { email } = await signedUpUser();
    const malformed: Record<string, unknown>[] = [
      { email, password: "" },
      { email, password: "x".repeat(129) },
      { email, password: 42 },
      { email },
      { email: `${email}@`, password: WRONG },
      { email: ` ${email.toUpperCase()} `, password: [STRONG_PASSWORD] },
    ];
    // Three rounds of each: 18 calls, more than the 10 the account's bucket holds.
    const refused = await Promise.all(Array.from({ length: 18 }, (_, i) => login(malformed[i % malformed.length] ?? {})));
    expect(statuses(refused)).toEqual(Array<number>(18).fill(400));
    expect((await login({ email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it("gives no trust to another account's device cookie, nor to a forged or tampered one", SLOW, async () => {
    const other = await ownerWithDevice();
    const owner = await ownerWithDevice();
    const attack = await times(11, () => login({ email: owner.email, password: WRONG }));
    expect(statuses(attack)).toEqual([...Array<number>(9).fill(401), ...Array<number>(2).fill(429)]);
    const [nonce = "", issuedAt = "", mac = ""] = owner.cookie.slice("sf_device=".length).split(".");
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const untrusted = [
      other.cookie,
      `sf_device=${flip(nonce)}.${issuedAt}.${mac}`,
      `sf_device=${nonce}.${Number(issuedAt) + 1}.${mac}`,
      `sf_device=${nonce}.${issuedAt}.${flip(mac)}`,
      `sf_device=${"A".repeat(22)}.${issuedAt}.${"A".repeat(43)}`,
      "sf_device=garbage",
    ];
    for (const cookie of untrusted) expect((await login({ email: owner.email, password: STRONG_PASSWORD }, { cookie })).status).toBe(429);
    expect((await login({ email: owner.email, password: STRONG_PASSWORD, deviceToken: other.token })).status).toBe(429);
    // The untampered cookie is trusted, so the refusals above were the cookie's doing.
    expect((await login({ email: owner.email, password: STRONG_PASSWORD }, { cookie: owner.cookie })).status).toBe(200);
  });

  it("limits a stolen device cookie by its own bucket, after which it counts as untrusted", SLOW, async () => {
    const owner = await ownerWithDevice();
    // 10 guesses on the device's bucket, then the 9 untrusted tokens the owner's login left.
    const stolen = await times(25, () => login({ email: owner.email, password: WRONG }, { cookie: owner.cookie }));
    expect(statuses(stolen)).toEqual([...Array<number>(19).fill(401), ...Array<number>(6).fill(429)]);
    expect((await login({ email: owner.email, password: STRONG_PASSWORD }, { cookie: owner.cookie })).status).toBe(429);
  });
});
