// Accounts that can be recovered: e-mail verification, password reset and change of e-mail, and
// their mails. Requests commit an account_mails row and put it on the outbox queue; the consumer
// claims it (at most once per event), creates the token there and mails it, so the token's plain
// value exists only in the mail: D1 keeps its hash, the queue only the row's id.
import {
  ACCOUNT_TOKEN_PATTERN,
  ACCOUNT_TOKEN_TTL_MS,
  accountTokenProblem,
  hashAccountToken,
  newAccountToken,
  passwordFingerprint,
  type AccountTokenPurpose,
} from "../domain/account-tokens";
import { accountMail, type AccountMailKind, type MailMessage, type ShopIdentity } from "../domain/mail";
import { hashPassword } from "../domain/password-hash";
import { refuse } from "../domain/refusals";
import {
  changeEmailQuery,
  claimAccountMail,
  emailTakenByOther,
  findAccountToken,
  insertAccountMailAfterUseQuery,
  insertAccountMailQuery,
  insertAccountTokenQuery,
  markEmailVerifiedQuery,
  releaseAccountMail,
  unsentAccountMails,
  resetPasswordQuery,
  revokeDevicesAfterUseQuery,
  revokeAllSessionsQuery,
  useAccountTokenQuery,
  voidOtherTokensQuery,
  type NewAccountMail,
} from "../db/account-tokens";
import { isUniqueViolation, type Db } from "../db/client";
import { findUserByEmail, findUserById } from "../db/users";
import type { Deps } from "./deps";
import { enqueueOutbox } from "./outbox";

type RequestDeps = Pick<Deps, "db" | "outbox" | "log" | "now">;

const newMail = (kind: AccountMailKind, userId: string | null, email: string): NewAccountMail => ({
  id: crypto.randomUUID(),
  kind,
  userId,
  email,
});

/** Puts committed account mails on the queue; a failed send leaves them for the cron. */
const enqueueAccountMails = (deps: RequestDeps, mails: readonly { id: string }[]) =>
  enqueueOutbox(
    { outbox: { send: (messages) => deps.outbox.send(messages.map((m) => ({ ...m, stream: "account" as const }))) }, log: deps.log },
    mails,
  );

/** A verification link for the account's current address; nothing when it is verified already. */
export async function requestEmailVerification(deps: RequestDeps, user: { id: string; email: string }): Promise<void> {
  const account = await findUserById(deps.db, user.id);
  if (!account || account.emailVerified) return;
  const mail = newMail("email.verify", account.id, account.email);
  await insertAccountMailQuery(deps.db, mail, new Date(deps.now()));
  await enqueueAccountMails(deps, [mail]);
}

/** The verification mail a sign-up owes: its row, for the sign-up's own batch. */
export function signupVerificationMail(db: Db, user: { id: string; email: string }, at: Date) {
  const mail = newMail("email.verify", user.id, user.email);
  return { mail, query: insertAccountMailQuery(db, mail, at) };
}

/** Sends the queued mails (after the batch that inserted them committed). */
export const sendQueuedAccountMails = enqueueAccountMails;

/**
 * A reset link for the address, if an account has it. The request does the same work for every
 * address (one row, one message; the consumer looks the account up), so neither its answer nor
 * its time tells whether the address has an account.
 */
export async function requestPasswordReset(deps: RequestDeps, email: string): Promise<void> {
  const mail = newMail("password.reset", null, email);
  await insertAccountMailQuery(deps.db, mail, new Date(deps.now()));
  await enqueueAccountMails(deps, [mail]);
}

type TokenRow = NonNullable<Awaited<ReturnType<typeof findAccountToken>>>;

/** The presented token's row if it may be used now for one of `purposes`; a refusal otherwise. */
async function usableToken(deps: RequestDeps, token: string, purposes: readonly AccountTokenPurpose[]): Promise<TokenRow> {
  const found = ACCOUNT_TOKEN_PATTERN.test(token) ? await findAccountToken(deps.db, await hashAccountToken(token)) : undefined;
  if (!found) throw refuse("rejected_input", "This link is not valid; ask for a new one.", "token_invalid");
  const { token: stored, user } = found;
  const problem = accountTokenProblem(
    { ...stored, expiresAt: stored.expiresAt.getTime(), usedAt: stored.usedAt?.getTime() ?? null },
    purposes,
    { email: user.email, passwordFingerprint: await passwordFingerprint(user.passwordHash) },
    deps.now(),
  );
  if (problem === "token_expired") throw refuse("rejected_input", "This link has expired; ask for a new one.", "token_expired");
  if (problem) throw refuse("rejected_input", "This link is not valid (used already, or superseded); ask for a new one.", "token_invalid");
  return found;
}

const lostRace = () => refuse("rejected_input", "This link was used already; ask for a new one.", "token_invalid");

/**
 * Sets the password from a reset link: the token is used up, every session ends, every device
 * cookie issued before now stops counting as a known device, and "password changed" is mailed.
 * Returns the account's id (its cached sessions must be forgotten).
 */
export async function resetPassword(deps: RequestDeps, token: string, newPassword: string): Promise<{ userId: string }> {
  const { token: stored, user } = await usableToken(deps, token, ["reset_password"]);
  const passwordHash = await hashPassword(newPassword);
  const at = new Date(deps.now());
  const mail = newMail("password.changed", user.id, user.email);
  const [used] = await deps.db.batch([
    useAccountTokenQuery(deps.db, stored.id, at),
    resetPasswordQuery(deps.db, user.id, passwordHash, stored.id, at),
    revokeDevicesAfterUseQuery(deps.db, user.id, stored.id, at),
    revokeAllSessionsQuery(deps.db, user.id, stored.id, at),
    voidOtherTokensQuery(deps.db, user.id, "reset_password", stored.id, at),
    insertAccountMailAfterUseQuery(deps.db, mail, stored.id, at),
  ]);
  if (used.length === 0) throw lostRace();
  await enqueueAccountMails(deps, [mail]);
  return { userId: user.id };
}

/**
 * Opens a verification link: the account's address is verified, or, for a change of address,
 * becomes the new one (verified) and the old address is told.
 */
export async function verifyEmail(deps: RequestDeps, token: string): Promise<{ email: string; userId: string }> {
  const { token: stored, user } = await usableToken(deps, token, ["verify_email", "change_email"]);
  const at = new Date(deps.now());
  if (stored.purpose === "verify_email") {
    const [used, verified] = await deps.db.batch([
      useAccountTokenQuery(deps.db, stored.id, at),
      markEmailVerifiedQuery(deps.db, user.id, stored.id, at),
    ]);
    if (used.length === 0 || verified.length === 0) throw lostRace();
    return { email: stored.email, userId: user.id };
  }
  if (await emailTakenByOther(deps.db, stored.email, user.id)) throw emailTaken();
  const notice = newMail("email.changed", user.id, user.email);
  try {
    const [used] = await deps.db.batch([
      useAccountTokenQuery(deps.db, stored.id, at),
      changeEmailQuery(deps.db, user.id, stored.email, stored.id, at),
      voidOtherTokensQuery(deps.db, user.id, "change_email", stored.id, at),
      voidOtherTokensQuery(deps.db, user.id, "verify_email", stored.id, at),
      insertAccountMailAfterUseQuery(deps.db, notice, stored.id, at),
    ]);
    if (used.length === 0) throw lostRace();
  } catch (error) {
    // Taken between the check and the batch: the unique index refuses, and nothing was written.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  await enqueueAccountMails(deps, [notice]);
  return { email: stored.email, userId: user.id };
}

const emailTaken = () => refuse("conflict", "Another account uses this e-mail address.", "email_taken");

/**
 * Starts a change of address (the password was checked by the caller): a link goes to the new
 * address, and nothing changes until it is opened. An address another account holds is refused.
 */
export async function requestEmailChange(deps: RequestDeps, user: { id: string; email: string }, newEmail: string): Promise<void> {
  if (newEmail === user.email) throw refuse("rejected_input", "This is already your e-mail address.", "conflict");
  if (await emailTakenByOther(deps.db, newEmail, user.id)) throw emailTaken();
  const mail = newMail("email.change", user.id, newEmail);
  await insertAccountMailQuery(deps.db, mail, new Date(deps.now()));
  await enqueueAccountMails(deps, [mail]);
}

/**
 * Sends again the account mails no consumer has claimed a minute after their commit (the request's
 * own send failed, or the mailer refused and gave the claim back), for an hour: a reset link
 * arriving later than that is of little use. The claim keeps a mail sent twice from going twice.
 */
export async function resendAccountMails(deps: RequestDeps, limit: number): Promise<number> {
  const now = deps.now();
  const due = await unsentAccountMails(deps.db, new Date(now - 60 * 60_000), new Date(now - 60_000), limit);
  await enqueueAccountMails(deps, due);
  return due.length;
}

/** "Password changed" after auth.changePassword: its row, for that change's batch. */
export function passwordChangedMail(db: Db, user: { id: string; email: string }, at: Date) {
  const mail = newMail("password.changed", user.id, user.email);
  return { mail, query: insertAccountMailQuery(db, mail, at) };
}

// ---- The consumer's side ----

export interface AccountMailDeps {
  db: Db;
  mail: Pick<Deps["mail"], "send">;
  shop: ShopIdentity;
  webOrigin: string;
  log: Deps["log"];
  now: () => number;
}

const LINK_PAGES: Record<AccountTokenPurpose, string> = {
  verify_email: "/verify-email",
  change_email: "/verify-email",
  reset_password: "/reset-password",
};

/**
 * Sends one account mail, at most once: the claim commits before the send, so a retried delivery
 * finds it claimed. A token mail makes its token here; a send the mailer refuses gives the claim
 * back and drops that token, and the queue retries with a new one.
 */
export async function sendAccountMail(deps: AccountMailDeps, id: string, at: Date): Promise<void> {
  const row = await claimAccountMail(deps.db, id, at);
  if (!row) {
    deps.log.info("mail.already_sent", { key: id });
    return;
  }
  // A reset names only the address asked for; the others name their account.
  const user =
    row.kind === "password.reset"
      ? await findUserByEmail(deps.db, row.email)
      : row.userId
        ? await findUserById(deps.db, row.userId)
        : undefined;
  // No account has the address (a reset for a stranger), or the account was deleted since.
  if (!user) {
    deps.log.info("mail.no_account", { key: id, kind: row.kind });
    return;
  }
  // Verified since, or the address changed since: the link would be of no use.
  if (row.kind === "email.verify" && (user.emailVerified || user.email !== row.email)) {
    deps.log.info("mail.not_needed", { key: id, kind: row.kind });
    return;
  }
  const to = { email: row.email, name: user.name };
  let tokenId: string | null = null;
  /** A new token for the mail's link, its hash stored; the link opens the web app's page for it. */
  const linkFor = async (purpose: AccountTokenPurpose) => {
    const token = newAccountToken();
    tokenId = crypto.randomUUID();
    await insertAccountTokenQuery(deps.db, {
      id: tokenId,
      userId: user.id,
      purpose,
      tokenHash: await hashAccountToken(token),
      email: row.email,
      passwordFingerprint: purpose === "reset_password" ? await passwordFingerprint(user.passwordHash) : null,
      expiresAt: new Date(at.getTime() + ACCOUNT_TOKEN_TTL_MS[purpose]),
      createdAt: at,
    });
    // In the fragment: a browser sends it to no server, so it reaches no log line and no Referer.
    return `${deps.webOrigin}${LINK_PAGES[purpose]}#token=${token}`;
  };
  let message: MailMessage;
  switch (row.kind) {
    case "email.verify":
      message = accountMail({ kind: row.kind, link: await linkFor("verify_email") }, deps.shop, to);
      break;
    case "email.change":
      message = accountMail({ kind: row.kind, link: await linkFor("change_email") }, deps.shop, to);
      break;
    case "password.reset":
      message = accountMail({ kind: row.kind, link: await linkFor("reset_password") }, deps.shop, to);
      break;
    case "email.changed":
      message = accountMail({ kind: row.kind, newEmail: user.email }, deps.shop, to);
      break;
    case "password.changed":
      message = accountMail({ kind: row.kind }, deps.shop, to);
      break;
  }
  try {
    const { messageId } = await deps.mail.send(message);
    deps.log.info("mail.sent", { key: id, kind: row.kind, messageId });
  } catch (error) {
    await releaseAccountMail(deps.db, id, at, tokenId);
    throw error;
  }
}
