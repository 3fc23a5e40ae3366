// Access tokens for attacking the verifier through HTTP: expired ones, and forgeries of a real
// token with one thing changed (see forge.ts).
import { env } from "cloudflare:test";
import { signAccessToken } from "../../domain/access-token";
import { readConfig } from "../../lib/config";
import { decodePart, forgeFrom, type Forgery } from "./forge";

export const tokenConfig = () => readConfig(env).tokens;

export const accessTokenAt = (userId: string, sessionFamily: string, now: number) =>
  signAccessToken(tokenConfig(), { userId, sessionFamily }, now);

/** A copy of a real access token with the forgery's changes, signed with our secret unless it says otherwise. */
export const forged = (realToken: string, forgery: Forgery = {}) => forgeFrom(realToken, tokenConfig().secret, forgery);

/** The session family an access token belongs to (its `sid` claim). */
export function familyOf(accessToken: string): string {
  const { sid } = decodePart(accessToken, 1);
  if (typeof sid === "string") return sid;
  throw new Error("token has no sid");
}
