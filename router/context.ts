// The tRPC context: everything a procedure may use, built once per HTTP request.
import { TRPCError } from "@trpc/server";
import { verifyAccessToken } from "../domain/access-token";
import type { CacheDeps } from "../db/cache";
import { createDb, type Db } from "../db/client";
import type { RequestMetrics } from "../db/metrics";
import { findLiveSessionUser } from "../db/sessions";
import { isOutage } from "../db/unavailable";
import { log } from "../lib/log";
import { readConfig } from "../lib/config";
import { sessionCache } from "../services/session-cache";

export interface ContextInput {
  env: Env;
  executionCtx: { waitUntil(promise: Promise<unknown>): void };
  req: Request;
  resHeaders: Headers;
  requestId: string;
  metrics: RequestMetrics;
  /** Reports the signed-in user to the request log. */
  onUser: (userId: string) => void;
}


async function authenticate(db: Db, input: ContextInput, config: ReturnType<typeof readConfig>) {
  const header = input.req.headers.get("authorization");
  const bearer = header && /^Bearer ([A-Za-z0-9._-]{1,4096})$/.exec(header);
  if (!bearer) return { user: null, sessionFamily: null, tokenRejected: header !== null };
  const claims = await verifyAccessToken(config.tokens, bearer[1]);
  if (!claims) return { user: null, sessionFamily: null, tokenRejected: true };
  const user = await sessionCache.get(claims.sessionFamily, claims.userId, () =>
    findLiveSessionUser(db, claims.userId, claims.sessionFamily),
  );
  if (!user) return { user: null, sessionFamily: null, tokenRejected: true };
  input.onUser(user.id);
  return { user, sessionFamily: claims.sessionFamily, tokenRejected: false };
}

export async function createContext(input: ContextInput) {
  const config = readConfig(input.env);
  const db = createDb(input.env.DB, input.metrics);
  const logWithId = (event: string, fields: Record<string, unknown>) =>
    log("warn", event, { requestId: input.requestId, ...fields });
  const cache: CacheDeps = {
    kv: input.env.CACHE,
    metrics: input.metrics,
    waitUntil: (p) => input.executionCtx.waitUntil(p),
    log: logWithId,
  };
  return {
    env: input.env,
    executionCtx: input.executionCtx,
    db,
    cache,
    config,
    requestId: input.requestId,
    resHeaders: input.resHeaders,
    ip: input.req.headers.get("cf-connecting-ip") ?? "unknown",
    userAgent: input.req.headers.get("user-agent")?.slice(0, 256) ?? null,
    cookieHeader: input.req.headers.get("cookie"),
    ...(await authenticate(db, input, config).catch((error: unknown) => {
      if (isOutage(error)) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The service is temporarily unavailable; try again shortly." });
      throw error;
    })),
  };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
