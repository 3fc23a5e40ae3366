// Device tokens (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): proof that a
// browser or API client once signed in to an account. A token is `<nonce>.<issued-at>.<mac>`: a
// random nonce (the key of the device's own attempt bucket), the issue time in Unix seconds, and
// an HMAC-SHA256 binding both to the account's normalised email, which the token does not carry,
// so it verifies only in a login for that same email.
import { toBase64Url } from "./encoding";

export const DEVICE_COOKIE = "sf_device";
export const DEVICE_TOKEN_TTL_SECONDS = 180 * 24 * 60 * 60;
export const DEVICE_TOKEN_MAX_LENGTH = 128;
const CLOCK_SKEW_SECONDS = 30;
const PATTERN = /^([A-Za-z0-9_-]{22})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

// A key of its own, derived from the signing secret (HKDF with a purpose label), so a device
// token and an access token can never stand in for each other.
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode("storefront device token v1") },
          base,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

async function mac(secret: string, email: string, nonce: string, issuedAt: string): Promise<string> {
  const signed = await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(`${email}\n${nonce}\n${issuedAt}`));
  return toBase64Url(new Uint8Array(signed));
}

/** A new device token for the account with this (normalised) email. */
export async function signDeviceToken(secret: string, email: string, nowMs: number): Promise<string> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const issuedAt = String(Math.floor(nowMs / 1000));
  return `${nonce}.${issuedAt}.${await mac(secret, email, nonce, issuedAt)}`;
}

/**
 * The token's nonce when we issued it for this email (under any of `secrets`, so a key rotation
 * keeps devices trusted), it has not expired, and it was issued after the account's device
 * tokens were last revoked (`revokedAtMs`, a password reset); null for anything else.
 */
export async function verifyDeviceToken(
  secrets: readonly string[],
  email: string,
  token: string,
  nowMs: number,
  revokedAtMs = Number.NEGATIVE_INFINITY,
): Promise<string | null> {
  const match = PATTERN.exec(token);
  if (!match) return null;
  // PATTERN's three groups are none of them optional: a match has all three.
  const [nonce, issuedAt, presented] = match.slice(1, 4) as [string, string, string];
  const age = Math.floor(nowMs / 1000) - Number(issuedAt);
  if (age < -CLOCK_SKEW_SECONDS || age > DEVICE_TOKEN_TTL_SECONDS) return null;
  // Issued in the second of the revocation or before (the token counts whole seconds): revoked.
  if (Number(issuedAt) <= Math.floor(revokedAtMs / 1000)) return null;
  for (const secret of secrets) {
    const expected = await mac(secret, email, nonce, issuedAt);
    if (crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(presented))) return nonce;
  }
  return null;
}
