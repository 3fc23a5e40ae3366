// The tRPC context: everything a procedure may use, built once per HTTP request. Dependencies
// (services/deps.ts: payments, mail, outbox queue, limiter, feeds, images, session cache, clock, cache,
// log) are built here, in depsFor, so a test swaps one by passing it in.
import { checkAccessToken, type AccessTokenProblem } from "../domain/access-token";
import { kvWriteBudget, type CacheDeps } from "../db/cache";
import { createDb, openSession, type Consistency } from "../db/client";
import type { RequestMetrics } from "../db/metrics";
import { findLiveSessionUser } from "../db/sessions";
import { readConfig, type AppConfig } from "../lib/config";
import type { Logger } from "../lib/log";
import type { Deps } from "../services/deps";
import { durableObjectLimiter } from "../services/limiter";
import { mailerFor } from "../services/mail";
import { cloudflareOutboxQueue } from "../services/outbox";
import { orderFeeds } from "../services/order-updates";
import { paymentsFor } from "../services/payments";
import { sessionCache } from "../services/session-cache";
import { rethrowOutage } from "./errors";
import { LIVE_SESSION_CHECK_MS } from "./live";

export interface ContextInput {
  env: Env;
  waitUntil: (promise: Promise<unknown>) => void;
  req: Request;
  resHeaders: Headers;
  requestId: string;
  metrics: RequestMetrics;
  log: Logger;
  /**
   * The access token from tRPC's connection parameters: a browser's EventSource (subscriptions)
   * cannot send an Authorization header. Used only when the request has none.
   */
  connectionToken?: string | undefined;
  /** Reports the signed-in user to the request log. */
  onUser: (userId: string) => void;
  /** The D1 bookmark the caller sent (already validated), so it reads its own writes. */
  bookmark?: string | null;
  /** "primary" when a call of the request must see the primary's latest state (its meta says so). */
  consistency?: Consistency;
  /** Receives the request's D1 session, whose latest bookmark the response carries. */
  onSession?: (session: D1DatabaseSession, consistency: Consistency) => void;
}

/** What a caller (a test, a tool) may replace; the D1 session, cache and log are the request's own. */
export type DepsOverrides = Partial<Omit<Deps, "db" | "cache" | "log">>;

/**
 * The dependencies the Worker's bindings and configuration give, each replaced by its override
 * when there is one: the one place they are built, for requests (createContext), queue batches
 * and cron runs (worker/background.ts).
 */
export function depsFor(env: Env, config: AppConfig, overrides: DepsOverrides = {}): Omit<Deps, "db" | "cache" | "log"> {
  const now = overrides.now ?? Date.now;
  return {
    payments: overrides.payments ?? paymentsFor(config),
    mail: overrides.mail ?? mailerFor(config.mail, env, now),
    limiter: overrides.limiter ?? durableObjectLimiter(env.RATE_LIMITER),
    outbox: overrides.outbox ?? cloudflareOutboxQueue(env.OUTBOX),
    // Two closures over the binding; no I/O unless a change is published or a stream opened.
    feeds: overrides.feeds ?? orderFeeds(env.ORDER_FEED),
    images: overrides.images ?? env.IMAGES,
    // The isolate's one cache on purpose: services/session-cache.ts says why that is safe.
    sessions: overrides.sessions ?? sessionCache,
    now,
    liveSessionCheckMs: overrides.liveSessionCheckMs ?? LIVE_SESSION_CHECK_MS,
  };
}

/** Why a request that sent a token is not signed in: the token's problem, or its session has ended. */
export type TokenProblem = AccessTokenProblem | "session_ended";

/** The user a request's bearer token names, if the token and its session are live. */
export async function authenticate(
  deps: Pick<Deps, "db" | "sessions" | "now">,
  input: Pick<ContextInput, "req" | "onUser" | "connectionToken">,
  config: AppConfig,
) {
  const refused = (tokenProblem: TokenProblem | null) => ({ user: null, sessionFamily: null, tokenProblem, tokenExpiresAt: null });
  const header = input.req.headers.get("authorization");
  // Auth schemes are case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" name the same one.
  const bearer = header ? /^Bearer +([A-Za-z0-9._-]{1,4096})$/i.exec(header) : null;
  const fromParams =
    header === null && input.connectionToken && /^[A-Za-z0-9._-]{1,4096}$/.test(input.connectionToken) ? input.connectionToken : undefined;
  const token = bearer?.[1] ?? fromParams;
  if (!token) return refused(header !== null || input.connectionToken !== undefined ? "unreadable" : null);
  const checked = await checkAccessToken(config.tokens, token);
  if (!checked.ok) return refused(checked.problem);
  const { claims } = checked;
  const user = await deps.sessions.get(
    claims.sessionFamily,
    claims.userId,
    () => findLiveSessionUser(deps.db, claims.userId, claims.sessionFamily),
    deps.now(),
  );
  if (!user) return refused("session_ended");
  input.onUser(user.id);
  // Widened so the signed-in and signed-out contexts share the field's type.
  return { user, sessionFamily: claims.sessionFamily, tokenProblem: null as TokenProblem | null, tokenExpiresAt: claims.expiresAt };
}

/** The approximate place of the request, from Cloudflare's `cf` data (absent in some local setups). */
function placeOf(req: Request): { city: string | null; country: string | null } {
  const cf = req.cf;
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value.slice(0, 100) : null);
  return { city: text(cf?.city), country: text(cf?.country) };
}

export async function createContext(input: ContextInput, overrides: DepsOverrides = {}) {
  const config = readConfig(input.env);
  // One session per request: its queries are sequentially consistent, starting from the caller's
  // bookmark (or the primary) and never going back in time between replicas.
  const consistency = input.consistency ?? "replica";
  const session = openSession(input.env.DB, consistency, input.bookmark ?? null);
  input.onSession?.(session, consistency);
  const db = createDb(session, input.metrics);
  const cache: CacheDeps = {
    kv: input.env.CACHE,
    metrics: input.metrics,
    waitUntil: input.waitUntil,
    log: (event, fields) => input.log.warn(event, fields),
    kvWrites: kvWriteBudget(),
    bookmark: () => session.getBookmark(),
  };
  const deps: Deps = { db, cache, log: input.log, ...depsFor(input.env, config, overrides) };
  return {
    ...deps,
    config,
    requestId: input.requestId,
    resHeaders: input.resHeaders,
    waitUntil: input.waitUntil,
    ip: input.req.headers.get("cf-connecting-ip") ?? "unknown",
    userAgent: input.req.headers.get("user-agent")?.slice(0, 256) ?? null,
    place: placeOf(input.req),
    cookieHeader: input.req.headers.get("cookie"),
    ...(await authenticate(deps, input, config).catch(rethrowOutage)),
  };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
