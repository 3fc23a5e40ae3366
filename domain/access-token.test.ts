import { describe, expect, it } from "vitest";
import { decodePart, forgeFrom, FORGERIES } from "../test/helpers/forge";
import { ACCESS_TOKEN_TTL_SECONDS, checkAccessToken, signAccessToken, verifyAccessToken, type TokenConfig } from "./access-token";

// Its SHA-256 starts 85 0c 88 ae 01 4a (Node's crypto): bytes under 0x10 must keep two hex digits.
const SECRET = "unit-secret-unit-secret-unit-secret-0006";
const OLD_SECRET = "old-secret-old-secret-old-secret-old-0123";
const config: TokenConfig = { secret: SECRET, issuer: "storefront", audience: "storefront-api" };
const claims = { userId: "user-1", sessionFamily: "family-1" };
// What verification returns: the claims and the expiry (epoch ms), whichever it is.
const verified: unknown = { ...claims, expiresAt: expect.any(Number) as number };
/** The first 6 bytes of the secret's SHA-256, in hex, computed here independently of the module. */
const kidOf = async (secret: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret)))]
    .slice(0, 6)
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

describe("signAccessToken", () => {
  it("signs HS256 with typ at+jwt and the kid of its secret", async () => {
    const { token } = await signAccessToken(config, claims);
    expect(decodePart(token, 0)).toEqual({ alg: "HS256", typ: "at+jwt", kid: "850c88ae014a" });
    expect(decodePart((await signAccessToken({ ...config, secret: OLD_SECRET }, claims)).token, 0).kid).toBe(await kidOf(OLD_SECRET));
  });

  it("carries the user, the session family, the issuer and audience, and a fresh id", async () => {
    const now = Date.UTC(2026, 5, 1, 12, 0, 0, 750);
    const { token, expiresAt } = await signAccessToken(config, claims, now);
    const payload = decodePart(token, 1);
    const iat = Math.floor(now / 1000);
    expect(payload).toEqual({
      sub: "user-1",
      sid: "family-1",
      iss: "storefront",
      aud: "storefront-api",
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      iat,
      nbf: iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
    });
    expect(ACCESS_TOKEN_TTL_SECONDS).toBe(15 * 60);
    expect(expiresAt).toEqual(new Date((iat + 15 * 60) * 1000));
    expect(decodePart((await signAccessToken(config, claims, now)).token, 1).jti).not.toBe(payload.jti);
  });

  it("refuses a secret shorter than 32 characters (256 bits)", async () => {
    await expect(signAccessToken({ ...config, secret: "x".repeat(31) }, claims)).rejects.toThrow(/at least 32 characters/);
    const { token } = await signAccessToken({ ...config, secret: "y".repeat(32) }, claims);
    expect(await verifyAccessToken({ ...config, secret: "y".repeat(32) }, token)).toEqual(verified);
  });
});

describe("verifyAccessToken", () => {
  it("returns the claims of a token it signed", async () => {
    const { token, expiresAt } = await signAccessToken(config, claims);
    expect(await verifyAccessToken(config, token)).toEqual({ ...claims, expiresAt: expiresAt.getTime() });
  });

  it("accepts an unchanged copy of a real token signed again (the forgeries below change one thing each)", async () => {
    const { token } = await signAccessToken(config, claims);
    expect(await verifyAccessToken(config, await forgeFrom(token, SECRET))).toEqual(verified);
  });

  it("accepts a token expired or not yet valid by less than the 30 s clock skew", async () => {
    const { token } = await signAccessToken(config, claims);
    const now = Math.floor(Date.now() / 1000);
    expect(await verifyAccessToken(config, await forgeFrom(token, SECRET, { claims: { exp: now - 15 } }))).toEqual({
      ...claims,
      expiresAt: (now - 15) * 1000,
    });
    expect(await verifyAccessToken(config, await forgeFrom(token, SECRET, { claims: { nbf: now + 15 } }))).toEqual(verified);
  });

  it("refuses a token signed 20 minutes ago", async () => {
    const { token } = await signAccessToken(config, claims, Date.now() - 20 * 60 * 1000);
    expect(await verifyAccessToken(config, token)).toBeNull();
  });

  it.each(FORGERIES)("refuses a token %s", async (_, forgery) => {
    const { token } = await signAccessToken(config, claims);
    expect(await verifyAccessToken(config, await forgeFrom(token, SECRET, forgery(decodePart(token, 1))))).toBeNull();
  });

  it.each(["", "not.a.jwt", "a.b", "...", "e30.e30.e30"])("refuses %j", async (garbage) => {
    expect(await verifyAccessToken(config, garbage)).toBeNull();
  });

  it("accepts the previous secret's tokens during a rotation, and only then", async () => {
    const { token: old } = await signAccessToken({ ...config, secret: OLD_SECRET }, claims);
    const { token: current } = await signAccessToken(config, claims);
    const rotating = { ...config, previousSecret: OLD_SECRET };
    expect(await verifyAccessToken(rotating, old)).toEqual(verified);
    expect(await verifyAccessToken(rotating, current)).toEqual(verified);
    expect(await verifyAccessToken(config, old)).toBeNull();
    expect(await verifyAccessToken({ ...config, previousSecret: "" }, current)).toEqual(verified);
  });

  it("refuses a token signed by the previous secret but naming the current key", async () => {
    const { token } = await signAccessToken({ ...config, secret: OLD_SECRET }, claims);
    const renamed = await forgeFrom(token, OLD_SECRET, { header: { kid: await kidOf(SECRET) } });
    expect(await verifyAccessToken({ ...config, previousSecret: OLD_SECRET }, renamed)).toBeNull();
  });
});

describe("checkAccessToken", () => {
  it("says expired only of a token we signed that has expired, unreadable of anything else", async () => {
    const { token } = await signAccessToken(config, claims);
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(await checkAccessToken(config, await forgeFrom(token, SECRET, { claims: { exp: past } }))).toEqual({
      ok: false,
      problem: "expired",
    });
    // Expired and signed with another key: not ours, so not "expired".
    expect(await checkAccessToken(config, await forgeFrom(token, "z".repeat(40), { claims: { exp: past } }))).toEqual({
      ok: false,
      problem: "unreadable",
    });
    expect(await checkAccessToken(config, "null")).toEqual({ ok: false, problem: "unreadable" });
    expect(await checkAccessToken(config, token)).toEqual({ ok: true, claims: verified });
  });
});
