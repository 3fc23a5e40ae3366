// auth.* for accounts that can be recovered: e-mail verification, password reset and change of
// e-mail (services/account-recovery.ts). Merged into the auth router.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { verifyPassword } from "../../domain/password-hash";
import { findUserById } from "../../db/users";
import * as recovery from "../../services/account-recovery";
import { AnyPassword, Email, NewPassword } from "../inputs";
import { applyDecisions, takeToken, type Limit } from "../rate-limit";
import { authedProcedure, publicProcedure } from "../trpc";

const Ok = z.object({ ok: z.literal(true) });

// Any string up to a bound: a malformed token is refused as token_invalid, like an unknown one.
const Token = z.string().min(1).max(128).meta({ description: "The token from the link's fragment (`#token=…`)." });

// As sign-in: these steps must see the latest account state wherever it was written.
const ON_PRIMARY = { consistency: "primary" } as const;

const TOKEN_REFUSALS = { 400: "The link's token is unknown, used, superseded (token_invalid) or expired (token_expired)." };

/**
 * Reset mails per address, whoever asks (an admin's address included): a flood of requests from
 * many IPs cannot fill someone's mailbox. Unknown addresses count the same, so a 429 tells nothing.
 */
export const RESET_PER_ADDRESS: Limit = { limit: 3, windowSeconds: 900 };

export const authRecoveryProcedures = {
  requestEmailVerification: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/request-email-verification",
        tags: ["auth"],
        summary: "Mail a link that verifies the account's address (nothing when it is verified already).",
        protect: true,
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "user", limit: 5, windowSeconds: 3600 } })
    .output(Ok)
    .mutation(async ({ ctx }) => {
      await recovery.requestEmailVerification(ctx, ctx.user);
      return { ok: true as const };
    }),

  verifyEmail: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/verify-email",
        tags: ["auth"],
        summary: "Open a verification link: the address is verified, or a change of address takes effect.",
        protect: false,
        refusals: { ...TOKEN_REFUSALS, 409: "The new address belongs to another account meanwhile (email_taken)." },
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "ip", limit: 20, windowSeconds: 600 } })
    .input(z.object({ token: Token }))
    .output(z.object({ email: z.string(), emailVerified: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const { email, userId } = await recovery.verifyEmail(ctx, input.token);
      // Signed-in requests read the account from the session cache: this isolate's forgets it now,
      // other isolates' within SESSION_CHECK_TTL_MS.
      ctx.sessions.forgetUser(userId);
      return { email, emailVerified: true as const };
    }),

  requestPasswordReset: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/request-password-reset",
        tags: ["auth"],
        summary: "Mail a password-reset link if an account has this address; the answer is the same either way.",
        protect: false,
        refusals: { 429: "Too many requests from this address or for this e-mail; Retry-After says when to try again." },
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "ip", limit: 10, windowSeconds: 900 } })
    .input(z.object({ email: Email }))
    .output(Ok)
    .mutation(async ({ ctx, input }) => {
      applyDecisions(ctx, [await takeToken(ctx, `auth.requestPasswordReset|email|${input.email}`, RESET_PER_ADDRESS)]);
      await recovery.requestPasswordReset(ctx, input.email);
      return { ok: true as const };
    }),

  resetPassword: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/reset-password",
        tags: ["auth"],
        summary: "Set a new password from a reset link; every session of the account ends.",
        protect: false,
        refusals: { 400: `${TOKEN_REFUSALS[400]} Or the new password breaks the password rules.` },
      },
    })
    .meta(ON_PRIMARY)
    // Guessing 256-bit tokens is hopeless; the limit also bounds the Argon2id work one address can ask for.
    .meta({ rateLimit: { key: "ip", limit: 10, windowSeconds: 900 } })
    .input(z.object({ token: Token, newPassword: NewPassword }))
    .output(Ok)
    .mutation(async ({ ctx, input }) => {
      const { userId } = await recovery.resetPassword(ctx, input.token, input.newPassword);
      ctx.sessions.forgetUser(userId);
      return { ok: true as const };
    }),

  changeEmail: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/change-email",
        tags: ["auth"],
        summary: "Mail a confirmation link to a new address; the change takes effect when it is opened.",
        protect: true,
        refusals: {
          400: "The new address is the current one.",
          403: "The password is incorrect.",
          409: "Another account uses this address (email_taken).",
        },
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "user", limit: 5, windowSeconds: 900 } })
    .input(z.object({ newEmail: Email, password: AnyPassword }))
    .output(Ok)
    .mutation(async ({ ctx, input }) => {
      const user = await findUserById(ctx.db, ctx.user.id);
      const verdict = user ? await verifyPassword(input.password, user.passwordHash) : { ok: false };
      if (!user || !verdict.ok) throw new TRPCError({ code: "FORBIDDEN", message: "The password is incorrect." });
      await recovery.requestEmailChange(ctx, user, input.newEmail);
      return { ok: true as const };
    }),
};
