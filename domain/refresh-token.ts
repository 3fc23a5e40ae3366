// Opaque refresh tokens: 32 random bytes to the holder, only a SHA-256 hash at rest.
import { sha256Hex, toBase64Url } from "./encoding";

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const REFRESH_COOKIE = "sf_refresh";

export const newRefreshToken = (): string => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

export const hashRefreshToken = (token: string): Promise<string> => sha256Hex(token);

export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
