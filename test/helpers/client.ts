// Test helpers: the real @storefront/client talking to the Worker over SELF.fetch, and
// per-test identities so that tests never share rows or rate-limit buckets.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { createClient, errorData, type AuthTokens, type StorefrontErrorData } from "@storefront/client";
import { buildApp } from "../../worker/app";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 8)}`;

export const uniqueEmail = (tag = "user") => `${tag}-${unique()}@example.test`;
/** A distinct client IP per test, so per-IP rate limits of one test never reach another. */
export const uniqueIp = () => `10.${(counter * 7) % 250}.${Math.floor(Math.random() * 250)}.${(counter++ % 250) + 1}`;

export const STRONG_PASSWORD = "Correct-Horse-42";

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

/** A signed-up customer with a client that carries their tokens. */
export async function signedUpUser(options: { ip?: string } = {}) {
  const { client, session } = testClient(options);
  const email = uniqueEmail();
  const result = await client.auth.signup.mutate({ email, password: STRONG_PASSWORD, name: "Test User" });
  session.tokens = result;
  return { client, session, email, password: STRONG_PASSWORD, user: result.user };
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
