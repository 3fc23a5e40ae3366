// Test helpers: the real @storefront/client talking to the Worker over SELF.fetch, and
// per-test identities so that tests never share rows or rate-limit buckets.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { createClient, errorData, type AuthTokens, type StorefrontErrorData } from "@storefront/client";
import { signAccessToken } from "../../domain/access-token";
import { hashRefreshToken, newRefreshToken, REFRESH_TOKEN_TTL_MS } from "../../domain/refresh-token";
import type { Role } from "../../domain/roles";
import { createDb } from "../../db/client";
import { newMetrics } from "../../db/metrics";
import { insertSessionQuery } from "../../db/sessions";
import { insertUserQuery, toPublicUser } from "../../db/users";
import { readConfig } from "../../lib/config";
import { buildApp } from "../../worker/app";

let counter = 0;
// Random first: tests search by an email's first characters, and users created within the same
// few milliseconds would share a time-first prefix.
const unique = () => `${crypto.randomUUID().slice(0, 8)}${Date.now().toString(36)}${(counter++).toString(36)}`;

export const uniqueEmail = (tag = "user") => `${tag}-${unique()}@example.test`;
/** A distinct client IP per test, so per-IP rate limits of one test never reach another. */
export const uniqueIp = () => `10.${(counter * 7) % 250}.${Math.floor(Math.random() * 250)}.${(counter++ % 250) + 1}`;

export const STRONG_PASSWORD = "Correct-Horse-42";

/**
 * STRONG_PASSWORD's Argon2id hash with the current parameters (a fixed salt), computed once so
 * that a test's users cost no hashing; test/password.test.ts checks that it verifies.
 */
export const STRONG_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c3RvcmVmcm9udC10ZXN0IQ$v8zyo0FNSLFxEcbZD8xcO+lkn/2xxRPn/x2T+AA81CI";

export function testClient(options: { ip?: string; headers?: Record<string, string> } = {}) {
  const session: { tokens: AuthTokens | null } = { tokens: null };
  const client = createClient({
    url: "http://storefront.test/trpc",
    fetch: (input, init) => SELF.fetch(input instanceof Request ? input : new Request(input, init)),
    headers: { "cf-connecting-ip": options.ip ?? uniqueIp(), ...options.headers },
    getAccessToken: () => session.tokens?.accessToken,
    getRefreshToken: () => session.tokens?.refreshToken,
    onTokens: (tokens) => {
      session.tokens = tokens;
    },
  });
  return { client, session };
}

/**
 * A user whose password is STRONG_PASSWORD, with a live session, written straight to D1 through
 * db/ (the rows and tokens auth.signup makes, without its Argon2id hash): for the tests whose
 * subject is not sign-up, login or hashing, which call auth.signup and auth.login themselves.
 */
export async function userInD1(role: Role = "customer") {
  const db = createDb(env.DB, newMetrics());
  const user = {
    id: crypto.randomUUID(),
    email: uniqueEmail(),
    name: "Test User",
    passwordHash: STRONG_PASSWORD_HASH,
    role,
    emailVerified: false,
    createdAt: new Date(),
  };
  const refreshToken = newRefreshToken();
  const familyId = crypto.randomUUID();
  const session = {
    id: crypto.randomUUID(),
    userId: user.id,
    familyId,
    tokenHash: await hashRefreshToken(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
  };
  await db.batch([insertUserQuery(db, user), insertSessionQuery(db, session)]);
  const access = await signAccessToken(readConfig(env).tokens, { userId: user.id, sessionFamily: familyId });
  const tokens: AuthTokens = { user: toPublicUser(user), refreshToken, accessToken: access.token, accessTokenExpiresAt: access.expiresAt };
  return { email: user.email, tokens };
}

/** A signed-up customer (created in D1: see userInD1) with a client that carries their tokens. */
export async function signedUpUser(options: { ip?: string; role?: Role } = {}) {
  const { client, session } = testClient(options);
  const { email, tokens } = await userInD1(options.role);
  session.tokens = tokens;
  return { client, session, email, password: STRONG_PASSWORD, user: tokens.user };
}

/** The tRPC error code carried by a rejected call; undefined when it succeeded. */
export async function errorCode(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    return errorData(error)?.code ?? "UNKNOWN";
  }
  return undefined;
}

/** The error data (code, reason, issues…) of a rejected call; undefined when it succeeded. */
export async function refusalOf(call: Promise<unknown>): Promise<(StorefrontErrorData & { message: string }) | undefined> {
  try {
    await call;
  } catch (error) {
    const data = errorData(error);
    if (!data) throw error;
    return { ...data, message: error instanceof Error ? error.message : "" };
  }
  return undefined;
}

export { errorData };

/**
 * A client for the same Worker under other vars or secrets (production's, another provider's):
 * the real app, its fetch handler called with the changed env, the caller's tokens.
 */
export function clientWithEnv(overrides: Partial<Env>, tokens: AuthTokens | null = null, options: { ip?: string } = {}) {
  const changed: Env = { ...env, ...overrides };
  const app = buildApp();
  const fetchWithEnv = async (request: Request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, changed, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  const client = createClient({
    url: "http://storefront.test/trpc",
    fetch: (input, init) => fetchWithEnv(input instanceof Request ? input : new Request(input, init)),
    headers: { "cf-connecting-ip": options.ip ?? uniqueIp() },
    getAccessToken: () => tokens?.accessToken,
  });
  return { client, fetch: (path: string, init?: RequestInit) => fetchWithEnv(new Request(`http://storefront.test${path}`, init)) };
}
