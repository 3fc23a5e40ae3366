// The procedure builders every router uses: who may call, the rate limits from meta, and D1
// outages as 503. One middleware per builder, not one per concern: tRPC copies its call options
// at every middleware layer, a measurable share of a cached read (BENCHMARKS.md).
import { TRPCError } from "@trpc/server";
import { isOutage } from "../db/unavailable";
import { serviceUnavailable } from "./errors";
import type { Context } from "./context";
import { t } from "./init";
import { enforceRateLimits } from "./rate-limit";

export const router = t.router;

// A D1 outage is a 503 that tells the caller to retry, not a 500.
function outageIsUnavailable<R extends { ok: boolean }>(result: R): R {
  if (!result.ok && "error" in result && isOutage(result.error)) throw serviceUnavailable(result.error);
  return result;
}

function signedIn(ctx: Context) {
  if (!ctx.user || !ctx.sessionFamily || ctx.tokenExpiresAt === null) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.tokenRejected ? "Your session has expired; sign in again." : "Sign in to do this.",
    });
  }
  return { user: ctx.user, sessionFamily: ctx.sessionFamily, tokenExpiresAt: ctx.tokenExpiresAt };
}

export const publicProcedure = t.procedure.use(async (opts) => {
  await enforceRateLimits(opts);
  return outageIsUnavailable(await opts.next());
});

/**
 * Public reads whose output does not depend on the caller; their GET calls are edge-cached. Only
 * this builder's procedures may carry `meta.cache = "public"` (router/cache-policy.ts checks it
 * at start-up): it takes the caller out of the context, so a resolver cannot make its output
 * depend on who asked, and one stored answer may go to everyone.
 */
export const cachedPublicProcedure = t.procedure
  .use(async (opts) => outageIsUnavailable(await opts.next({ ctx: { user: null, sessionFamily: null, tokenRejected: false } })))
  .meta({ cache: "public" });

export const authedProcedure = t.procedure.use(async (opts) => {
  const session = signedIn(opts.ctx);
  await enforceRateLimits(opts);
  return outageIsUnavailable(await opts.next({ ctx: session }));
});

export const adminProcedure = t.procedure.use(async (opts) => {
  const session = signedIn(opts.ctx);
  if (session.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can do this." });
  await enforceRateLimits(opts);
  return outageIsUnavailable(await opts.next({ ctx: session }));
});
