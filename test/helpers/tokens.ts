// Hand-made access tokens for attacking the verifier: expired, foreign, tampered, alg "none".
import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { signAccessToken } from "../../domain/access-token";
import { readConfig } from "../../lib/config";

export const tokenConfig = () => readConfig(env).tokens;

export const accessTokenAt = (userId: string, sessionFamily: string, now: number) =>
  signAccessToken(tokenConfig(), { userId, sessionFamily }, now);

/** A token with our claims, signed with any key and header the test chooses. */
export async function forgedToken(
  claims: { sub: string; sid: string; iss?: string; aud?: string },
  options: { secret?: string; alg?: string; kid?: string } = {},
) {
  const config = tokenConfig();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "at+jwt", kid: options.kid })
    .setIssuer(claims.iss ?? config.issuer)
    .setAudience(claims.aud ?? config.audience)
    .setSubject(claims.sub)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(options.secret ?? config.secret));
}

/** The session family an access token belongs to (its `sid` claim). */
export function familyOf(accessToken: string): string {
  const payload: unknown = JSON.parse(atob((accessToken.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/")));
  if (typeof payload === "object" && payload && "sid" in payload && typeof payload.sid === "string") return payload.sid;
  throw new Error("token has no sid");
}

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** An unsigned token with `alg: none`, the classic verifier bypass. */
export function unsignedToken(sub: string, sid: string) {
  const config = tokenConfig();
  const now = Math.floor(Date.now() / 1000);
  return `${b64url({ alg: "none", typ: "at+jwt" })}.${b64url({ sub, sid, iss: config.issuer, aud: config.audience, iat: now, exp: now + 600, jti: "x" })}.`;
}
