// auth.logoutEverywhere, auth.deleteAccount, auth.exportData: the account a customer controls.
// Merged into the auth router (router/routers/auth.ts) beside its own procedures.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { verifyPassword } from "../../domain/password-hash";
import { PASSWORD_MAX } from "../../domain/password-policy";
import { findUserById } from "../../db/users";
import { deleteAccount, exportAccount, signOutOtherDevices } from "../../services/account";
import { clearedRefreshCookie } from "../cookies";
import { authedProcedure } from "../trpc";
import { AccountExport } from "../views/account";

const ON_PRIMARY = { consistency: "primary" } as const;
const Ok = z.object({ ok: z.literal(true) });

export const accountProcedures = {
  logoutEverywhere: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/logout-everywhere",
        tags: ["auth"],
        summary:
          "Sign out every other device: their sessions end (access tokens within the session check) and no device token of the account counts as a known device any more. This session stays.",
        protect: true,
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "user", limit: 10, windowSeconds: 60 } })
    .output(Ok)
    .mutation(async ({ ctx }) => {
      await signOutOtherDevices(ctx, ctx.user.id, ctx.sessionFamily);
      return { ok: true as const };
    }),

  deleteAccount: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/delete-account",
        tags: ["auth"],
        summary:
          "Delete the account: personal data erased, orders kept with what the books need (SECURITY.md), every session ended; the address can sign up again.",
        protect: true,
        refusals: {
          403: "The password is incorrect.",
          412: "Orders not yet shipped still need your address (`data.reason = orders_in_progress`), or this is the shop's last administrator (`last_admin`).",
        },
      },
    })
    .meta(ON_PRIMARY)
    // A password check: limited like changePassword's, so it cannot be used to guess.
    .meta({ rateLimit: { key: "user", limit: 5, windowSeconds: 900 } })
    .input(z.object({ password: z.string().min(1).max(PASSWORD_MAX) }))
    .output(Ok)
    .mutation(async ({ ctx, input }) => {
      const user = await findUserById(ctx.db, ctx.user.id);
      const verdict = user ? await verifyPassword(input.password, user.passwordHash) : { ok: false };
      if (!user || !verdict.ok) throw new TRPCError({ code: "FORBIDDEN", message: "Password is incorrect." });
      await deleteAccount(ctx, user.id);
      ctx.resHeaders.append("Set-Cookie", clearedRefreshCookie());
      return { ok: true as const };
    }),

  exportData: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/auth/export",
        tags: ["auth"],
        summary: "Everything the shop holds about the signed-in customer, as one JSON document.",
        protect: true,
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "user", limit: 10, windowSeconds: 600 } })
    .output(AccountExport)
    .query(({ ctx }) => exportAccount(ctx, ctx.user.id)),
};
