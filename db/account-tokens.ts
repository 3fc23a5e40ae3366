// Queries on account tokens (verification, reset, change of e-mail) and on the account mails
// that carry them: the request's rows, the consumer's claim, and the guarded use of a token.
import { and, asc, eq, gt, isNull, lt, ne, sql } from "drizzle-orm";
import type { AccountTokenPurpose } from "../domain/account-tokens";
import type { AccountMailKind } from "../domain/mail";
import type { Db } from "./client";
import { accountMails, accountTokens, deviceRevocations, sessions, users } from "./schema";

export type NewAccountMail = { id: string; kind: AccountMailKind; userId: string | null; email: string };

/** An account mail owed; put it in the batch of the change or request it belongs to. */
export const insertAccountMailQuery = (db: Db, mail: NewAccountMail, at: Date) =>
  db.insert(accountMails).values({ ...mail, createdAt: at });

/**
 * Claims an account mail for sending: `sent_at` goes from null to `at` for exactly one caller.
 * Returns the row when this caller won, undefined when an earlier delivery already claimed it.
 */
export async function claimAccountMail(db: Db, id: string, at: Date) {
  const [claimed] = await db
    .update(accountMails)
    .set({ sentAt: at })
    .where(and(eq(accountMails.id, id), isNull(accountMails.sentAt)))
    .returning();
  return claimed;
}

/** Gives a claim back after the sender refused the mail, and drops the token it would have carried. */
export async function releaseAccountMail(db: Db, id: string, at: Date, tokenId: string | null): Promise<void> {
  await db.batch([
    db
      .update(accountMails)
      .set({ sentAt: null })
      .where(and(eq(accountMails.id, id), eq(accountMails.sentAt, at))),
    db.delete(accountTokens).where(eq(accountTokens.id, tokenId ?? "")),
  ]);
}

export const insertAccountTokenQuery = (db: Db, row: typeof accountTokens.$inferInsert) => db.insert(accountTokens).values(row);

/** A presented token's row and its account as they stand now. */
export const findAccountToken = (db: Db, tokenHash: string) =>
  db
    .select({ token: accountTokens, user: users })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .where(eq(accountTokens.tokenHash, tokenHash))
    .get();

/** Marks a token used, only if it still is not: of two concurrent uses one wins. */
export const useAccountTokenQuery = (db: Db, id: string, at: Date) =>
  db
    .update(accountTokens)
    .set({ usedAt: at })
    .where(and(eq(accountTokens.id, id), isNull(accountTokens.usedAt)))
    .returning({ id: accountTokens.id });

/** An update of the token's account that runs only if this batch's use of the token won. */
const tokenUsedAt = (tokenId: string, at: Date) =>
  sql`exists (select 1 from ${accountTokens} where ${accountTokens.id} = ${tokenId} and ${accountTokens.usedAt} = ${at.getTime()})`;

/**
 * The account's address is verified. The caller checked that the address is still the one the
 * token was mailed to; a change of address racing with it sets the flag itself (its own link).
 */
export const markEmailVerifiedQuery = (db: Db, userId: string, tokenId: string, at: Date) =>
  db
    .update(users)
    .set({ emailVerified: true, updatedAt: at })
    .where(and(eq(users.id, userId), tokenUsedAt(tokenId, at)))
    .returning({ id: users.id });

/** The account takes the new (now verified) address. */
export const changeEmailQuery = (db: Db, userId: string, newEmail: string, tokenId: string, at: Date) =>
  db
    .update(users)
    .set({ email: newEmail, emailVerified: true, updatedAt: at })
    .where(and(eq(users.id, userId), tokenUsedAt(tokenId, at)))
    .returning({ id: users.id });

/** The new password. */
export const resetPasswordQuery = (db: Db, userId: string, passwordHash: string, tokenId: string, at: Date) =>
  db
    .update(users)
    .set({ passwordHash, updatedAt: at })
    .where(and(eq(users.id, userId), tokenUsedAt(tokenId, at)))
    .returning({ id: users.id });

/**
 * Every device cookie issued until now revoked, as "sign out everywhere" does (db/account.ts's
 * revokeDevicesQuery), but only if this batch's use of the token won. The select's WHERE keeps
 * SQLite from reading ON CONFLICT as a join constraint.
 */
export const revokeDevicesAfterUseQuery = (db: Db, userId: string, tokenId: string, at: Date) =>
  db
    .insert(deviceRevocations)
    .select(
      db
        .select({ userId: sql<string>`${userId}`.as("user_id"), revokedBefore: sql<Date>`${at.getTime()}`.as("revoked_before") })
        .from(accountTokens)
        .where(and(eq(accountTokens.id, tokenId), eq(accountTokens.usedAt, at))),
    )
    .onConflictDoUpdate({ target: deviceRevocations.userId, set: { revokedBefore: at } });

/** Every live session of the account ends. */
export const revokeAllSessionsQuery = (db: Db, userId: string, tokenId: string, at: Date) =>
  db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), tokenUsedAt(tokenId, at)));

/** An account mail owed by a token's use, inserted only if this batch's use of the token won. */
export const insertAccountMailAfterUseQuery = (db: Db, mail: NewAccountMail, tokenId: string, at: Date) =>
  db.insert(accountMails).select(
    db
      .select({
        id: sql<string>`${mail.id}`.as("id"),
        kind: sql<AccountMailKind>`${mail.kind}`.as("kind"),
        userId: sql<string | null>`${mail.userId}`.as("user_id"),
        email: sql<string>`${mail.email}`.as("email"),
        createdAt: sql<Date>`${at.getTime()}`.as("created_at"),
        sentAt: sql<null>`null`.as("sent_at"),
      })
      .from(accountTokens)
      .where(and(eq(accountTokens.id, tokenId), eq(accountTokens.usedAt, at))),
  );

/** Other unused tokens of the same purpose die with this one (an older reset link, say). */
export const voidOtherTokensQuery = (db: Db, userId: string, purpose: AccountTokenPurpose, keepId: string, at: Date) =>
  db
    .update(accountTokens)
    .set({ usedAt: at })
    .where(
      and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), ne(accountTokens.id, keepId), isNull(accountTokens.usedAt)),
    );

/** Whether another account holds this address. */
export const emailTakenByOther = async (db: Db, email: string, userId: string) =>
  (await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), ne(users.id, userId)))
    .get()) !== undefined;

/** Account mails committed but still unclaimed, created between `from` and `to` (the cron sends them again). */
export const unsentAccountMails = (db: Db, from: Date, to: Date, limit: number) =>
  db
    .select({ id: accountMails.id })
    .from(accountMails)
    .where(and(isNull(accountMails.sentAt), gt(accountMails.createdAt, from), lt(accountMails.createdAt, to)))
    .orderBy(asc(accountMails.createdAt))
    .limit(limit);
