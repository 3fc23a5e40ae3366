// auth.*: sign-up, login, refresh-token rotation, logout, the current user, password change; the
// account's devices and its deletion and export are in auth-sessions.ts and auth-account.ts; the
// recovery procedures (verification, reset, change of e-mail) come from auth-recovery.ts.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { signAccessToken } from "../../domain/access-token";
import { DEVICE_TOKEN_MAX_LENGTH } from "../../domain/device-token";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../../domain/password-hash";
import { REFRESH_TOKEN_PATTERN, REFRESH_TOKEN_TTL_MS, hashRefreshToken, newRefreshToken } from "../../domain/refresh-token";
import { findDeviceTrust } from "../../db/account";
import { isUniqueViolation } from "../../db/client";
import { findSessionWithUser, insertSessionQuery, revokeFamilyQuery, revokeOtherFamiliesQuery, rotateSession } from "../../db/sessions";
import { findUserByEmail, findUserById, insertUserQuery, setPasswordHashQuery, toPublicUser } from "../../db/users";
import { passwordChangedMail, sendQueuedAccountMails, signupVerificationMail } from "../../services/account-recovery";
import type { Context } from "../context";
import { clearedRefreshCookie, refreshCookie, refreshTokenFromCookie } from "../cookies";
import { AnyPassword, Email, NewPassword } from "../inputs";
import { issueDeviceToken, limitLoginAttempt } from "../login-attempts";
import { authedProcedure, publicProcedure, router } from "../trpc";
import { AuthResult, LoginResult, UserView } from "../views/user";
import { accountProcedures } from "./auth-account";
import { authRecoveryProcedures } from "./auth-recovery";
import { sessionsRouter } from "./auth-sessions";

const Ok = z.object({ ok: z.literal(true) });

const BAD_CREDENTIALS = "Email or password is incorrect.";
const SESSION_ENDED = "Your session has ended; sign in again.";

type SessionOwner = { id: string };

// Sign-in and token rotation must see the latest sessions wherever they were written (a token
// rotated a moment ago in another region), so they start on the D1 primary, not a replica.
const ON_PRIMARY = { consistency: "primary" } as const;

/** A new refresh token for a new or continuing session family, and its access token. */
async function issueTokens(ctx: Context, user: SessionOwner, familyId = crypto.randomUUID()) {
  const refreshToken = newRefreshToken();
  const session = {
    id: crypto.randomUUID(),
    userId: user.id,
    familyId,
    tokenHash: await hashRefreshToken(refreshToken),
    expiresAt: new Date(ctx.now() + REFRESH_TOKEN_TTL_MS),
    userAgent: ctx.userAgent,
    ip: ctx.ip,
    city: ctx.place.city,
    country: ctx.place.country,
  };
  const access = await signAccessToken(ctx.config.tokens, { userId: user.id, sessionFamily: familyId }, ctx.now());
  ctx.resHeaders.append("Set-Cookie", refreshCookie(refreshToken));
  return { session, tokens: { refreshToken, accessToken: access.token, accessTokenExpiresAt: access.expiresAt } };
}

export const authRouter = router({
  signup: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/signup",
        tags: ["auth"],
        summary: "Create an account and sign in.",
        protect: false,
        refusals: { 409: "An account with this email already exists; sign in instead." },
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "ip", limit: 10, windowSeconds: 600 } })
    .input(z.object({ email: Email, password: NewPassword, name: z.string().trim().min(1).max(100) }))
    .output(AuthResult)
    .mutation(async ({ ctx, input }) => {
      const user = {
        id: crypto.randomUUID(),
        email: input.email,
        name: input.name,
        passwordHash: await hashPassword(input.password),
        role: "customer" as const,
        emailVerified: false,
        createdAt: new Date(ctx.now()),
      };
      const { session, tokens } = await issueTokens(ctx, user);
      const verification = signupVerificationMail(ctx.db, user, user.createdAt);
      try {
        await ctx.db.batch([insertUserQuery(ctx.db, user), insertSessionQuery(ctx.db, session), verification.query]);
      } catch (error) {
        if (isUniqueViolation(error)) {
          ctx.resHeaders.delete("Set-Cookie");
          throw new TRPCError({ code: "CONFLICT", message: "An account with this email already exists; sign in instead." });
        }
        throw error;
      }
      await sendQueuedAccountMails(ctx, [verification.mail]);
      return { user: toPublicUser(user), ...tokens };
    }),

  login: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/login",
        tags: ["auth"],
        summary: "Sign in with email and password.",
        protect: false,
        refusals: {
          401: "Email or password is incorrect (one message for both, so it does not tell which emails have accounts).",
          429: "Too many attempts from this address, for this account or from this device; Retry-After says when to try again.",
        },
      },
    })
    .meta(ON_PRIMARY)
    // Per IP before the input is even parsed; per account (or per known device) once it is valid.
    .meta({ rateLimit: { key: "ip", limit: 30, windowSeconds: 300 } })
    .input(z.object({ email: Email, password: AnyPassword, deviceToken: z.string().max(DEVICE_TOKEN_MAX_LENGTH).optional() }))
    .output(LoginResult)
    .mutation(async ({ ctx, input }) => {
      await limitLoginAttempt(ctx, input.email, input.deviceToken, (email) => findDeviceTrust(ctx.db, email));
      const user = await findUserByEmail(ctx.db, input.email);
      // An unknown email costs the same hash as a wrong password, so timing tells nothing.
      const verdict = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !verdict.ok) throw new TRPCError({ code: "UNAUTHORIZED", message: BAD_CREDENTIALS });
      const { session, tokens } = await issueTokens(ctx, user);
      if (verdict.needsRehash) {
        const rehashed = await hashPassword(input.password);
        await ctx.db.batch([insertSessionQuery(ctx.db, session), setPasswordHashQuery(ctx.db, user.id, rehashed)]);
      } else {
        await insertSessionQuery(ctx.db, session);
      }
      return { user: toPublicUser(user), ...tokens, deviceToken: await issueDeviceToken(ctx, input.email) };
    }),

  refresh: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/refresh",
        tags: ["auth"],
        summary: "Rotate the refresh token: the old one dies, a new pair is returned.",
        protect: false,
        refusals: {
          401: "The refresh token is missing, unknown, expired, already rotated (its whole family is then revoked) or revoked: sign in again.",
        },
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "ip", limit: 60, windowSeconds: 60 } })
    .input(z.object({ refreshToken: z.string().max(128).optional() }).optional())
    .output(AuthResult)
    .mutation(async ({ ctx, input }) => {
      const presented = input?.refreshToken ?? refreshTokenFromCookie(ctx.cookieHeader);
      if (!presented || !REFRESH_TOKEN_PATTERN.test(presented)) {
        throw new TRPCError({ code: "UNAUTHORIZED", message: SESSION_ENDED });
      }
      const found = await findSessionWithUser(ctx.db, await hashRefreshToken(presented));
      if (!found) throw new TRPCError({ code: "UNAUTHORIZED", message: SESSION_ENDED });
      const { session: current, user } = found;
      if (current.revokedAt) {
        // A rotated token presented again means two holders: the family is compromised.
        if (current.replacedBy) {
          await revokeFamilyQuery(ctx.db, current.familyId);
          ctx.sessions.forget(current.familyId);
        }
        throw new TRPCError({ code: "UNAUTHORIZED", message: SESSION_ENDED });
      }
      if (current.expiresAt.getTime() <= ctx.now()) throw new TRPCError({ code: "UNAUTHORIZED", message: SESSION_ENDED });
      const { session, tokens } = await issueTokens(ctx, user, current.familyId);
      // Losing a race with a concurrent refresh of the same token is refused, not rewarded.
      if (!(await rotateSession(ctx.db, current.id, session))) {
        ctx.resHeaders.delete("Set-Cookie");
        throw new TRPCError({ code: "UNAUTHORIZED", message: SESSION_ENDED });
      }
      return { user: toPublicUser(user), ...tokens };
    }),

  logout: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/logout",
        tags: ["auth"],
        summary: "Revoke the current session's refresh tokens.",
        protect: true,
      },
    })
    .meta(ON_PRIMARY)
    .output(Ok)
    .mutation(async ({ ctx }) => {
      await revokeFamilyQuery(ctx.db, ctx.sessionFamily);
      ctx.sessions.forget(ctx.sessionFamily);
      ctx.resHeaders.append("Set-Cookie", clearedRefreshCookie());
      return { ok: true as const };
    }),

  me: authedProcedure
    .meta({ openapi: { method: "GET", path: "/auth/me", tags: ["auth"], summary: "The signed-in user.", protect: true } })
    .output(UserView)
    .query(({ ctx }) => ctx.user),

  changePassword: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/change-password",
        tags: ["auth"],
        summary: "Change the password; every other session is revoked.",
        protect: true,
        refusals: {
          400: "The new password breaks the password rules, or equals the current one.",
          403: "The current password is incorrect.",
        },
      },
    })
    .meta(ON_PRIMARY)
    .meta({ rateLimit: { key: "user", limit: 5, windowSeconds: 900 } })
    .input(z.object({ currentPassword: AnyPassword, newPassword: NewPassword }))
    .output(Ok)
    .mutation(async ({ ctx, input }) => {
      const user = await findUserById(ctx.db, ctx.user.id);
      const verdict = user ? await verifyPassword(input.currentPassword, user.passwordHash) : { ok: false };
      if (!user || !verdict.ok) throw new TRPCError({ code: "FORBIDDEN", message: "Current password is incorrect." });
      if (input.newPassword === input.currentPassword) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Choose a password different from the current one." });
      }
      const notice = passwordChangedMail(ctx.db, user, new Date(ctx.now()));
      await ctx.db.batch([
        setPasswordHashQuery(ctx.db, user.id, await hashPassword(input.newPassword)),
        revokeOtherFamiliesQuery(ctx.db, user.id, ctx.sessionFamily),
        notice.query,
      ]);
      ctx.sessions.forgetUser(user.id);
      await sendQueuedAccountMails(ctx, [notice.mail]);
      return { ok: true as const };
    }),

  sessions: sessionsRouter,
  ...accountProcedures,
  ...authRecoveryProcedures,
});
