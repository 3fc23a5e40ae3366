// The refresh token and the device token as HttpOnly cookies, for browsers; API clients may send
// them in the body.
import { parse, serialize } from "hono/utils/cookie";
import { DEVICE_COOKIE, DEVICE_TOKEN_TTL_SECONDS } from "../domain/device-token";
import { REFRESH_COOKIE, REFRESH_TOKEN_TTL_MS } from "../domain/refresh-token";

// Scoped to the API so the tokens never travel with asset or page requests.
const COOKIE_PATH = "/trpc";

export const refreshCookie = (token: string) =>
  serialize(REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: COOKIE_PATH,
    maxAge: REFRESH_TOKEN_TTL_MS / 1000,
  });

export const clearedRefreshCookie = () =>
  serialize(REFRESH_COOKIE, "", { httpOnly: true, secure: true, sameSite: "Strict", path: COOKIE_PATH, maxAge: 0 });

export const refreshTokenFromCookie = (cookieHeader: string | null) =>
  cookieHeader ? parse(cookieHeader, REFRESH_COOKIE)[REFRESH_COOKIE] : undefined;

// Set after a successful login and kept through logouts: it is what tells this browser's login
// attempts apart from an attacker's (router/login-attempts.ts).
export const deviceCookie = (token: string) =>
  serialize(DEVICE_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: COOKIE_PATH,
    maxAge: DEVICE_TOKEN_TTL_SECONDS,
  });

export const deviceTokenFromCookie = (cookieHeader: string | null) =>
  cookieHeader ? parse(cookieHeader, DEVICE_COOKIE)[DEVICE_COOKIE] : undefined;
