// The procedure builders every router uses: who may call, and the rate limits from meta.
import { TRPCError } from "@trpc/server";
import { t } from "./init";
import { rateLimit } from "./rate-limit";

export const router = t.router;

export const publicProcedure = t.procedure.use(rateLimit);

export const authedProcedure = t.procedure
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
