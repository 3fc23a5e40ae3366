// The per-account login limit, after OWASP's device cookies: a login from a device that once
// signed in to the account (its device token, as cookie or in the body) counts against that
// device's own bucket; every other attempt counts against the account's untrusted bucket. A flood
// of wrong passwords empties only the untrusted bucket, so it stops guessing without locking the
// owner out. auth.login calls this after its input has validated (a malformed call never counts)
// and before it hashes (a refused attempt costs no Argon2id).
import { signDeviceToken, verifyDeviceToken } from "../domain/device-token";
import type { Context } from "./context";
import { deviceCookie, deviceTokenFromCookie } from "./cookies";
import { applyDecisions, takeToken, type Limit } from "./rate-limit";

export const UNTRUSTED_LOGIN_LIMIT: Limit = { limit: 10, windowSeconds: 900 };
export const DEVICE_LOGIN_LIMIT: Limit = { limit: 10, windowSeconds: 900 };

type LoginContext = Pick<Context, "config" | "cookieHeader" | "limiter" | "log" | "now" | "resHeaders">;

const secretsOf = (ctx: LoginContext) => [ctx.config.tokens.secret, ctx.config.tokens.previousSecret].filter((s): s is string => !!s);

/** Takes the attempt's token (device or untrusted); TOO_MANY_REQUESTS when that bucket is empty. */
export async function limitLoginAttempt(
  ctx: LoginContext,
  email: string,
  bodyToken: string | undefined,
  devicesRevokedAt: Date | null = null,
): Promise<void> {
  const presented = bodyToken ?? deviceTokenFromCookie(ctx.cookieHeader);
  const nonce = presented ? await verifyDeviceToken(secretsOf(ctx), email, presented, ctx.now(), devicesRevokedAt?.getTime()) : null;
  if (nonce) {
    const device = await takeToken(ctx, `auth.login|device|${nonce}`, DEVICE_LOGIN_LIMIT);
    if (device.allowed) return applyDecisions(ctx, [device]);
    // A device that has used up its attempts (a stolen token, say) is trusted no more: its
    // attempts are untrusted ones from now on, as OWASP's lockout of a device cookie says.
  }
  applyDecisions(ctx, [await takeToken(ctx, `auth.login|email|${email}`, UNTRUSTED_LOGIN_LIMIT)]);
}

/** A fresh device token for a successful login, set as the device cookie and returned for API clients. */
export async function issueDeviceToken(ctx: LoginContext, email: string): Promise<string> {
  const token = await signDeviceToken(ctx.config.tokens.secret, email, ctx.now());
  ctx.resHeaders.append("Set-Cookie", deviceCookie(token));
  return token;
}
