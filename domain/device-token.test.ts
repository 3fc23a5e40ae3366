import { describe, expect, it } from "vitest";
import { DEVICE_COOKIE, DEVICE_TOKEN_MAX_LENGTH, DEVICE_TOKEN_TTL_SECONDS, signDeviceToken, verifyDeviceToken } from "./device-token";

const SECRET = "device-secret-device-secret-0123456789";
const OLD = "old-device-secret-old-device-secret-01";
const EMAIL = "ada@example.test";
const T = 1_800_000_000;
// HKDF-SHA256(VECTOR_SECRET, no salt, "storefront device token v1") as the HMAC key over
// "email\nnonce\nissued-at", computed with Node's crypto, not with the module. A secret of its
// own, first used by the vector test, so that test derives the key (the module caches keys).
const VECTOR_SECRET = "vector-secret-vector-secret-vector-01";
const VECTOR = "AAAAAAAAAAAAAAAAAAAAAA.1800000000.l4U9TUFIeQy5PuoZM0c9oya_rikh3J4o8NqlyaYKxTE";

describe("device tokens", () => {
  it("are a 16-byte nonce, the issue time in seconds and a MAC, and fit the cookie's bound", async () => {
    const token = await signDeviceToken(SECRET, EMAIL, T * 1000 + 999);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.1800000000\.[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThanOrEqual(DEVICE_TOKEN_MAX_LENGTH);
    expect((await signDeviceToken(SECRET, EMAIL, T * 1000)).split(".")[0]).not.toBe(token.split(".")[0]);
  });

  it("verify to their nonce for the email they were issued for", async () => {
    const token = await signDeviceToken(SECRET, EMAIL, T * 1000);
    expect(await verifyDeviceToken([SECRET], EMAIL, token, T * 1000)).toBe(token.split(".")[0]);
    expect(await verifyDeviceToken([SECRET], "eve@example.test", token, T * 1000)).toBeNull();
    expect(await verifyDeviceToken(["another-secret-another-secret-0123"], EMAIL, token, T * 1000)).toBeNull();
    expect(await verifyDeviceToken([], EMAIL, token, T * 1000)).toBeNull();
  });

  it("are signed with a key derived for this purpose alone", async () => {
    expect(await verifyDeviceToken([VECTOR_SECRET], EMAIL, VECTOR, T * 1000)).toBe("AAAAAAAAAAAAAAAAAAAAAA");
  });

  it("stay valid through a key rotation while the previous key is configured", async () => {
    const old = await signDeviceToken(OLD, EMAIL, T * 1000);
    const current = await signDeviceToken(SECRET, EMAIL, T * 1000);
    expect(await verifyDeviceToken([SECRET, OLD], EMAIL, old, T * 1000)).toBe(old.split(".")[0]);
    expect(await verifyDeviceToken([SECRET, OLD], EMAIL, current, T * 1000)).toBe(current.split(".")[0]);
    expect(await verifyDeviceToken([SECRET], EMAIL, old, T * 1000)).toBeNull();
  });

  it("live 180 days, and may come from a clock up to 30 s ahead", async () => {
    expect(DEVICE_TOKEN_TTL_SECONDS).toBe(180 * 24 * 60 * 60);
    const at = (seconds: number) => verifyDeviceToken([VECTOR_SECRET], EMAIL, VECTOR, seconds * 1000);
    expect(await at(T + DEVICE_TOKEN_TTL_SECONDS)).not.toBeNull();
    expect(await at(T + DEVICE_TOKEN_TTL_SECONDS + 1)).toBeNull();
    expect(await at(T - 30)).not.toBeNull();
    expect(await at(T - 31)).toBeNull();
  });

  it("stop counting once the account's device tokens are revoked, from the second of the revocation on", async () => {
    const at = (revokedAtMs?: number) => verifyDeviceToken([VECTOR_SECRET], EMAIL, VECTOR, (T + 60) * 1000, revokedAtMs);
    expect(await at()).not.toBeNull();
    expect(await at(T * 1000 - 1)).not.toBeNull();
    expect(await at(T * 1000)).toBeNull();
    expect(await at(T * 1000 + 999)).toBeNull();
    expect(await at((T + 1) * 1000)).toBeNull();
  });

  it.each([
    ["a changed MAC", VECTOR.replace(/.$/, "F")],
    ["a changed nonce", VECTOR.replace(/^A/, "B")],
    ["a changed issue time", VECTOR.replace("1800000000", "1800000001")],
    ["a leading zero in the time", VECTOR.replace("1800000000", "01800000000")],
    ["a 13-digit time", VECTOR.replace("1800000000", "1800000000000")],
    ["a short nonce", VECTOR.slice(1)],
    ["a short MAC", VECTOR.slice(0, -1)],
    ["a prefix", `x${VECTOR}`],
    ["a suffix", `${VECTOR}x`],
    ["no parts", "not-a-token"],
    ["nothing", ""],
  ])("refuse %s", async (_, token) => {
    expect(await verifyDeviceToken([VECTOR_SECRET], EMAIL, token, T * 1000)).toBeNull();
  });

  it("travel in the sf_device cookie", () => expect(DEVICE_COOKIE).toBe("sf_device"));
});
