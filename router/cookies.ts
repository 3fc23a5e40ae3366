// The refresh token as an HttpOnly cookie, for browsers; API clients may send it in the body.
import { parse, serialize } from "hono/utils/cookie";
import { REFRESH_COOKIE, REFRESH_TOKEN_TTL_MS } from "../domain/refresh-token";

// Scoped to the API so the token never travels with asset or page requests.
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
