// The mails an event owes, one notifications row each keyed by the event (and recipient), and the
// guarded claim that lets one delivery of a retried message send it: at most once per event.
import { and, eq, isNull } from "drizzle-orm";
import type { MailKind } from "../domain/mail";
import type { Db } from "./client";
import { findOrderWithLines } from "./orders";
import { notifications, users } from "./schema";

/**
 * Records the mail (once: the key is its primary key) and claims its sending: `sent_at` goes from
 * null to `at` for exactly one caller, in one batch. True when this caller won the claim and must
 * send; false when an earlier delivery already claimed it (sent, or crashed while sending).
 */
export async function claimMail(
  db: Db,
  mail: { key: string; userId: string; orderId: string; kind: MailKind },
  at: Date,
): Promise<boolean> {
  const [, claimed] = await db.batch([
    db
      .insert(notifications)
      .values({ id: mail.key, userId: mail.userId, orderId: mail.orderId, kind: mail.kind, createdAt: at })
      .onConflictDoNothing({ target: notifications.id }),
    db
      .update(notifications)
      .set({ sentAt: at })
      .where(and(eq(notifications.id, mail.key), isNull(notifications.sentAt)))
      .returning({ id: notifications.id }),
  ]);
  return claimed.length === 1;
}

/** Gives a claim back after the sender refused the mail, so a retried delivery sends it. */
export async function releaseMail(db: Db, key: string, at: Date): Promise<void> {
  await db
    .update(notifications)
    .set({ sentAt: null })
    .where(and(eq(notifications.id, key), eq(notifications.sentAt, at)));
}

/** What an order mail shows: the order with its lines, and its customer's address and name. */
export async function orderForMail(db: Db, orderId: string) {
  const order = await findOrderWithLines(db, orderId);
  if (!order) return undefined;
  const [customer] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, order.userId));
  return customer ? { order, customer } : undefined;
}

/** The shop's admins, who receive the mails about refunds that failed. */
export const shopAdmins = (db: Db) =>
  db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.role, "admin")).orderBy(users.id);
