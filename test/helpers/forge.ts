// Forged JWTs for attacking the verifier: a copy of a real token with exactly one thing changed,
// so that the check under test, and no other, is what refuses it. Pure Web Crypto: runs in
// workerd and in Node.
export interface Forgery {
  /** Header fields to set; `undefined` removes the field. */
  header?: Record<string, unknown>;
  /** Payload claims to set; `undefined` removes the claim. */
  claims?: Record<string, unknown>;
  /** Sign with this secret instead of the real one. */
  secret?: string;
  /** Keep the real token's signature instead of signing again (a tampered token). */
  keepSignature?: boolean;
}

const HMAC_HASH: Record<string, string> = { HS256: "SHA-256", HS384: "SHA-384", HS512: "SHA-512" };

const encoder = new TextEncoder();

const toB64url = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const fromB64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const part = (value: Record<string, unknown>) => toB64url(encoder.encode(JSON.stringify(value)));

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  const value: unknown = JSON.parse(new TextDecoder().decode(fromB64url(token.split(".")[index] ?? "")));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JWT part");
  return { ...value };
}

const apply = (base: Record<string, unknown>, changes: Record<string, unknown> = {}) => {
  const out = { ...base, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete out[k];
  return out;
};

/** `real` with the changes applied, signed again with `secret` (or the forgery's own secret). */
export async function forgeFrom(real: string, secret: string, forgery: Forgery = {}): Promise<string> {
  const header = apply(decodePart(real, 0), forgery.header);
  const payload = apply(decodePart(real, 1), forgery.claims);
  const input = `${part(header)}.${part(payload)}`;
  if (forgery.keepSignature) return `${input}.${real.split(".")[2] ?? ""}`;
  const hash = typeof header.alg === "string" ? HMAC_HASH[header.alg] : undefined;
  if (!hash) return `${input}.`; // alg "none" and other unsigned forms carry no signature
  const key = await crypto.subtle.importKey("raw", encoder.encode(forgery.secret ?? secret), { name: "HMAC", hash }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(input));
  return `${input}.${toB64url(new Uint8Array(mac))}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * One forgery per check of the access-token verifier, each refused by that check alone. Each
 * takes the real token's claims and is called when the token is forged, so times are current.
 */
export const FORGERIES: [string, (real: Record<string, unknown>) => Forgery][] = [
  ["signed with another secret", () => ({ secret: "another-secret-another-secret-another-secret" })],
  [
    "whose expiry was pushed a year on under the original signature",
    () => ({ claims: { exp: nowSeconds() + 365 * 86400 }, keepSignature: true }),
  ],
  ["with another HMAC algorithm under our own secret (HS512)", () => ({ header: { alg: "HS512" } })],
  ["with alg none and no signature", () => ({ header: { alg: "none" } })],
  ["whose kid names no key of ours", () => ({ header: { kid: "000000000000" } })],
  ["of another type (typ JWT)", () => ({ header: { typ: "JWT" } })],
  ["from another issuer", () => ({ claims: { iss: "someone-else" } })],
  ["for another audience", () => ({ claims: { aud: "someone-else" } })],
  ["expired by more than the 30 s clock skew", () => ({ claims: { exp: nowSeconds() - 40 } })],
  ["not valid for another minute", () => ({ claims: { nbf: nowSeconds() + 60 } })],
  ["without an expiry", () => ({ claims: { exp: undefined } })],
  ["without an issued-at time", () => ({ claims: { iat: undefined } })],
  ["without a token id", () => ({ claims: { jti: undefined } })],
  ["without a subject", () => ({ claims: { sub: undefined } })],
  ["without a session family", () => ({ claims: { sid: undefined } })],
  ["whose subject is not a string", (real) => ({ claims: { sub: [real.sub] } })],
  ["whose session family is not a string", (real) => ({ claims: { sid: [real.sid] } })],
];
