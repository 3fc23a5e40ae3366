// What deleting an account leaves behind (the tombstone that frees its address), and which device
// tokens an account still trusts after it signed out everywhere or was deleted.

/** The name a deleted account's reviews show. */
export const DELETED_NAME = "Deleted customer";

/**
 * The address a deleted account keeps: unique (so the unique index holds), in the reserved
 * `.invalid` domain (RFC 2606: it can never receive mail), freeing the real one for a new sign-up.
 */
export const tombstoneEmail = (userId: string) => `deleted-${userId}@deleted.invalid`;

export const isTombstoneEmail = (email: string) => email.endsWith("@deleted.invalid");

/** What replaces each line of a deleted account's shipping addresses but the country. */
export const ERASED = "(erased)";

/** The password hash a deleted account keeps: not a PHC string, so no password ever verifies. */
export const NO_PASSWORD = "!deleted";

export interface DeviceTrust {
  /** When the account now at the token's address was created (epoch ms). */
  createdAt: number;
  /** When it last voided its device tokens (sign out everywhere), if ever (epoch ms). */
  revokedBefore: number | null;
}

/**
 * Whether a device token (already verified for its address) still counts as a known device. Not
 * when no account holds the address (it was deleted), nor when it predates the account now there
 * (deleted and signed up again) or the account's last "sign out everywhere". Tokens carry whole
 * seconds, so a token from the same second as a revocation counts as before it: refusing a fresh
 * device for a second costs less than trusting a revoked one.
 */
export function deviceStillTrusted(issuedAtSeconds: number, account: DeviceTrust | undefined): boolean {
  if (!account) return false;
  if (issuedAtSeconds < Math.floor(account.createdAt / 1000)) return false;
  return account.revokedBefore === null || issuedAtSeconds > Math.floor(account.revokedBefore / 1000);
}
