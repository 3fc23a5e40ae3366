// Account tokens, the links of e-mail verification, password reset and change of e-mail: 32 random
// bytes to the mailbox, only a SHA-256 hash at rest, single use, each purpose with its lifetime,
// and the rule that says whether a presented token still stands.
import { sha256Hex, toBase64Url } from "./encoding";

export const ACCOUNT_TOKEN_PURPOSES = ["verify_email", "reset_password", "change_email"] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

const MINUTE = 60_000;

/** A reset link is short-lived (it signs in whoever holds it); a verification link waits a day. */
export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  reset_password: 30 * MINUTE,
  verify_email: 24 * 60 * MINUTE,
  change_email: 24 * 60 * MINUTE,
};

export const ACCOUNT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const newAccountToken = (): string => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

export const hashAccountToken = (token: string): Promise<string> => sha256Hex(`account-token\n${token}`);

/**
 * What binds a reset token to the password it was issued under: a hash of the stored password
 * hash (the hash itself is never copied). Any change of password changes it, voiding older tokens.
 */
export const passwordFingerprint = (passwordHash: string): Promise<string> => sha256Hex(`password-binding\n${passwordHash}`);

export type AccountTokenProblem = "token_invalid" | "token_expired";

export interface StoredAccountToken {
  purpose: AccountTokenPurpose;
  /** The address the token was mailed to (and, for a change of e-mail, the new address). */
  email: string;
  expiresAt: number;
  usedAt: number | null;
  passwordFingerprint: string | null;
}

/**
 * Whether a stored token may be used now, for one of `purposes`, by the account as it now stands. A used
 * token, another purpose, a reset token whose password has changed, or a verification token for
 * an address the account no longer has, is invalid; a token past its time is expired.
 */
export function accountTokenProblem(
  token: StoredAccountToken,
  purposes: readonly AccountTokenPurpose[],
  account: { email: string; passwordFingerprint: string },
  nowMs: number,
): AccountTokenProblem | null {
  if (token.usedAt !== null) return "token_invalid";
  if (!purposes.includes(token.purpose)) return "token_invalid";
  if (token.purpose === "reset_password" && token.passwordFingerprint !== account.passwordFingerprint) return "token_invalid";
  if (token.purpose === "verify_email" && token.email !== account.email) return "token_invalid";
  if (token.expiresAt <= nowMs) return "token_expired";
  return null;
}
