// What a user sees of their own account, and what signing in returns.
import * as z from "zod";
import { Timestamp } from "./common";
import { ROLES } from "../../domain/roles";

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  /** Whether the address was proven by a mailed link; an unverified account may still shop. */
  emailVerified: z.boolean(),
  createdAt: Timestamp,
});

export const AuthResult = z.object({
  user: UserView,
  accessToken: z.string(),
  refreshToken: z.string(),
  accessTokenExpiresAt: Timestamp,
});

/** A login also returns its device token, for API clients to send back with their next logins. */
export const LoginResult = AuthResult.extend({ deviceToken: z.string() });
