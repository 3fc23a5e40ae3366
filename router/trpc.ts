// The procedure builders every router uses: who may call, and the rate limits from meta.
import { TRPCError } from "@trpc/server";
import { isOutage } from "../db/unavailable";
import { t } from "./init";
import { rateLimit } from "./rate-limit";

export const router = t.router;

// A D1 outage is a 503 that tells the caller to retry, not a 500.
const outageIsUnavailable = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isOutage(result.error)) {
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The service is temporarily unavailable; try again shortly.", cause: result.error });
  }
  return result;
});

const baseProcedure = t.procedure.use(outageIsUnavailable);

export const publicProcedure = baseProcedure.use(rateLimit);

export const authedProcedure = baseProcedure
  .use(({ ctx, next }) => {
    if (!ctx.user || !ctx.sessionFamily) {
      throw new TRPCError({
        code: "UNAUTHORIZED",
        message: ctx.tokenRejected ? "Your session has expired; sign in again." : "Sign in to do this.",
      });
    }
    return next({ ctx: { ...ctx, user: ctx.user, sessionFamily: ctx.sessionFamily } });
  })
  .use(rateLimit);

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can do this." });
  return next();
});
