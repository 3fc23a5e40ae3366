// Short-lived JWT access tokens (jose, HS256). The algorithm, issuer, audience and type are
// pinned on verification; `kid` names the key so a secret can rotate with an overlap.
import { SignJWT, errors, jwtVerify, type JWTHeaderParameters } from "jose";
import { toHex } from "./encoding";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const CLOCK_SKEW_SECONDS = 30;
const MIN_SECRET_LENGTH = 32;

export interface TokenConfig {
  secret: string;
  /** The key being retired, still accepted for verification during a rotation. */
  previousSecret?: string;
  issuer: string;
  audience: string;
}

export interface AccessClaims {
  userId: string;
  sessionFamily: string;
}

interface Key {
  kid: string;
  bytes: Uint8Array;
}

// Keys are pure values derived from the secret string: safe to keep per isolate.
const keys = new Map<string, Promise<Key>>();

function keyFor(secret: string): Promise<Key> {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error("JWT_SECRET must be at least 32 characters (256 bits)");
  let key = keys.get(secret);
  if (!key) {
    const bytes = new TextEncoder().encode(secret);
    key = crypto.subtle.digest("SHA-256", bytes).then((d) => ({
      kid: toHex(new Uint8Array(d).slice(0, 6)),
      bytes,
    }));
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(config: TokenConfig, claims: AccessClaims, now = Date.now()) {
  const key = await keyFor(config.secret);
  const iat = Math.floor(now / 1000);
  const exp = iat + ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ sid: claims.sessionFamily })
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: key.kid })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(claims.userId)
    .setJti(crypto.randomUUID())
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .sign(key.bytes);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** Why a presented access token was refused: it was never a token of ours, or it was and has expired. */
export type AccessTokenProblem = "unreadable" | "expired";

type Checked = { ok: true; claims: AccessClaims & { expiresAt: number } } | { ok: false; problem: AccessTokenProblem };

/** The token's claims, or why it is refused; only a genuine token past its expiry is "expired". */
export async function checkAccessToken(config: TokenConfig, token: string): Promise<Checked> {
  const candidates = await Promise.all([config.secret, config.previousSecret].filter((s): s is string => !!s).map(keyFor));
  try {
    const { payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const key = candidates.find((k) => k.kid === header.kid);
        if (!key) throw new Error("unknown kid");
        return key.bytes;
      },
      {
        algorithms: ["HS256"],
        typ: "at+jwt",
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["exp", "iat", "sub", "jti", "sid"],
      },
    );
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || typeof payload.exp !== "number") {
      return { ok: false, problem: "unreadable" };
    }
    // expiresAt (epoch ms) lets a long-lived stream end when its token does.
    return { ok: true, claims: { userId: payload.sub, sessionFamily: payload.sid, expiresAt: payload.exp * 1000 } };
  } catch (error) {
    // jose checks the signature before the claims, so "expired" is said only of a token we
    // signed; every other failure (tampered, other key or algorithm, not a JWT) is one answer.
    return { ok: false, problem: error instanceof errors.JWTExpired ? "expired" : "unreadable" };
  }
}

/** The token's claims, or null when it is not a valid, current access token of ours. */
export async function verifyAccessToken(config: TokenConfig, token: string): Promise<(AccessClaims & { expiresAt: number }) | null> {
  const checked = await checkAccessToken(config, token);
  return checked.ok ? checked.claims : null;
}
