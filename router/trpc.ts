// The procedure builders every router uses: who may call, the rate limits from meta, and the
// failures the contract names (D1 outages as 503, domain refusals with their code and reason). One middleware per builder, not one per concern: tRPC copies its call options
// at every middleware layer, a measurable share of a cached read (BENCHMARKS.md).
import { TRPCError } from "@trpc/server";
import { contractError, notSignedInMessage } from "./errors";
import type { Context } from "./context";
import { t } from "./init";
import { enforceRateLimits } from "./rate-limit";

export const router = t.router;

// A D1 outage is a 503 that tells the caller to retry, not a 500; a Refusal from a service is
// mapped to its code here, the one place every procedure's failure passes.
function answerAsContract<R extends { ok: true } | { ok: false; error: TRPCError }>(result: R): R {
  if (!result.ok) {
    const mapped = contractError(result.error);
    if (mapped) throw mapped;
  }
  return result;
}

function signedIn(ctx: Context) {
  if (!ctx.user || !ctx.sessionFamily || ctx.tokenExpiresAt === null) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: notSignedInMessage(ctx.tokenProblem),
    });
  }
  return { user: ctx.user, sessionFamily: ctx.sessionFamily, tokenExpiresAt: ctx.tokenExpiresAt };
}

export const publicProcedure = t.procedure.use(async (opts) => {
  await enforceRateLimits(opts);
  return answerAsContract(await opts.next());
});

/**
 * Public reads whose output does not depend on the caller; their GET calls are edge-cached. Only
 * this builder's procedures may carry `meta.cache = "public"` (router/cache-policy.ts checks it
 * at start-up): it takes the caller out of the context, so a resolver cannot make its output
 * depend on who asked, and one stored answer may go to everyone.
 */
export const cachedPublicProcedure = t.procedure
  .use(async (opts) => answerAsContract(await opts.next({ ctx: { user: null, sessionFamily: null, tokenProblem: null } })))
  .meta({ cache: "public" });

export const authedProcedure = t.procedure.use(async (opts) => {
  const session = signedIn(opts.ctx);
  await enforceRateLimits(opts);
  return answerAsContract(await opts.next({ ctx: session }));
});

export const adminProcedure = t.procedure.use(async (opts) => {
  const session = signedIn(opts.ctx);
  if (session.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can do this." });
  await enforceRateLimits(opts);
  return answerAsContract(await opts.next({ ctx: session }));
});
