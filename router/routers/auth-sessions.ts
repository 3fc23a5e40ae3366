// auth.sessions.*: the signed-in devices of the caller's account (one per refresh-token family),
// and revoking one of them.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { listLiveSessions, revokeOwnFamily } from "../../db/account";
import { clearedRefreshCookie } from "../cookies";
import { authedProcedure, router } from "../trpc";
import { SessionView, toSessionView } from "../views/account";
import { Id } from "../views/common";

// Revocation must see the sessions wherever they were last written, as logout does.
const ON_PRIMARY = { consistency: "primary" } as const;

export const sessionsRouter = router({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/auth/sessions",
        tags: ["auth"],
        summary: "The devices signed in to this account, most recently used first.",
        protect: true,
      },
    })
    .meta(ON_PRIMARY)
    .output(z.array(SessionView))
    .query(async ({ ctx }) => {
      const rows = await listLiveSessions(ctx.db, ctx.user.id, new Date(ctx.now()));
      return rows.map((row) => toSessionView(row, ctx.sessionFamily));
    }),

  revoke: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/sessions/{id}/revoke",
        tags: ["auth"],
        summary: "Sign one device out: its refresh token dies at once, its access token within the session check.",
        protect: true,
        refusals: { 404: "No such session among yours (or it has already ended)." },
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "user", limit: 30, windowSeconds: 60 } })
    .input(z.object({ id: Id }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeOwnFamily(ctx.db, ctx.user.id, input.id, new Date(ctx.now()));
      // Someone else's session is indistinguishable from a missing one.
      if (revoked.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: "No such session among yours." });
      ctx.sessions.forget(input.id);
      if (input.id === ctx.sessionFamily) ctx.resHeaders.append("Set-Cookie", clearedRefreshCookie());
      return { ok: true as const };
    }),
});
