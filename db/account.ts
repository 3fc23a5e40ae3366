// Queries behind the account a customer controls: their signed-in devices (session families),
// voiding device tokens, erasing the account, and reading everything we hold about them.
import { and, asc, count, desc, eq, gt, inArray, isNull, min, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { DELETED_NAME, ERASED, NO_PASSWORD, tombstoneEmail, type DeviceTrust } from "../domain/account";
import type { Db } from "./client";
import {
  accountMails,
  accountTokens,
  cartLines,
  carts,
  deviceRevocations,
  notifications,
  orderLines,
  orders,
  payments,
  reviews,
  sessions,
  users,
} from "./schema";

/**
 * One row per signed-in device: the live token of each session family (rotation keeps exactly one
 * per family live), with the family's start. The live token was issued by the latest sign-in or
 * refresh, so its creation is when the device last used the session.
 */
export function listLiveSessions(db: Db, userId: string, now: Date) {
  const family = alias(sessions, "family");
  const startedAt = db
    .select({ at: min(family.createdAt) })
    .from(family)
    .where(eq(family.familyId, sessions.familyId));
  return db
    .select({
      id: sessions.familyId,
      createdAt: sql<Date>`(${startedAt})`.mapWith(sessions.createdAt),
      lastUsedAt: sessions.createdAt,
      userAgent: sessions.userAgent,
      city: sessions.city,
      country: sessions.country,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt), asc(sessions.familyId));
}

/** Revokes one of the user's own session families; the ids it revoked (none when it is not theirs or not live). */
export const revokeOwnFamily = (db: Db, userId: string, familyId: string, now: Date) =>
  db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.familyId, familyId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });

/** Every session of the user but the caller's own, revoked. */
export const revokeOtherSessionsQuery = (db: Db, userId: string, keepFamily: string, now: Date) =>
  db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), ne(sessions.familyId, keepFamily), isNull(sessions.revokedAt)));

/** Voids every device token of the account issued until `now` (domain/account.ts: deviceStillTrusted). */
export const revokeDevicesQuery = (db: Db, userId: string, now: Date) =>
  db
    .insert(deviceRevocations)
    .values({ userId, revokedBefore: now })
    .onConflictDoUpdate({ target: deviceRevocations.userId, set: { revokedBefore: now } });

/** What decides whether a device token for this address is still trusted; undefined when no account holds it. */
export async function findDeviceTrust(db: Db, email: string): Promise<DeviceTrust | undefined> {
  const row = await db
    .select({ createdAt: users.createdAt, revokedBefore: deviceRevocations.revokedBefore })
    .from(users)
    .leftJoin(deviceRevocations, eq(deviceRevocations.userId, users.id))
    .where(eq(users.email, email))
    .get();
  return row && { createdAt: row.createdAt.getTime(), revokedBefore: row.revokedBefore?.getTime() ?? null };
}

/** Orders that still need the customer's address (not yet shipped, or awaiting payment). */
export const countOrdersInProgress = async (db: Db, userId: string) =>
  (
    await db
      .select({ n: count() })
      .from(orders)
      .where(and(eq(orders.userId, userId), inArray(orders.status, ["pending", "paid"])))
      .get()
  )?.n ?? 0;

/**
 * Erases an account in one atomic batch. The first statement turns the user row into a tombstone
 * (SECURITY.md, "Deleting an account", says what stays and why), guarded like a demotion so the
 * last admin cannot delete itself even under races; every later statement runs only if that one
 * did (the row now carries the tombstone address), so a refused deletion changes nothing.
 */
export async function eraseAccount(db: Db, userId: string, now: Date): Promise<boolean> {
  const tombstone = tombstoneEmail(userId);
  const admins = alias(users, "admins");
  const anotherAdminRemains = sql`(${db.select({ n: count() }).from(admins).where(eq(admins.role, "admin"))}) > 1`;
  const erased = sql`exists (select 1 from ${users} where ${users.id} = ${userId} and ${users.email} = ${tombstone})`;
  const [tombstoned] = await db.batch([
    db
      .update(users)
      .set({ email: tombstone, name: DELETED_NAME, passwordHash: NO_PASSWORD, role: "customer", emailVerified: false, updatedAt: now })
      .where(and(eq(users.id, userId), sql`(${users.role} <> 'admin' or ${anotherAdminRemains})`))
      .returning({ id: users.id }),
    // Deleted, not revoked: a session row holds the device's IP and User-Agent.
    db.delete(sessions).where(and(eq(sessions.userId, userId), erased)),
    db.delete(deviceRevocations).where(and(eq(deviceRevocations.userId, userId), erased)),
    db.delete(cartLines).where(and(eq(cartLines.userId, userId), erased)),
    db.delete(carts).where(and(eq(carts.userId, userId), erased)),
    // The books need where an order was taxed (country and region), not who received it or at which door. The other
    // lines become placeholders, so every reader of an address (views, mails, CSV) still reads one.
    db
      .update(orders)
      .set({
        shippingAddress: sql`json_remove(json_set(${orders.shippingAddress}, '$.name', ${DELETED_NAME}, '$.line1', ${ERASED}, '$.city', ${ERASED}, '$.postalCode', ${ERASED}), '$.line2')`,
        updatedAt: now,
      })
      .where(and(eq(orders.userId, userId), erased)),
    // Mails not yet sent would go to an address that is no longer theirs to us.
    db.delete(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.sentAt), erased)),
    // Account links and their mails name the address: none of them may open the tombstone.
    db.delete(accountTokens).where(and(eq(accountTokens.userId, userId), erased)),
    db.delete(accountMails).where(and(eq(accountMails.userId, userId), erased)),
  ]);
  return tombstoned.length === 1;
}

/** Everything stored about a user, read in one batch for their export. */
export async function readAccountData(db: Db, userId: string) {
  const [profile, sessionRows, orderRows, lineRows, paymentRows, reviewRows, cartRows] = await db.batch([
    db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        createdAt: users.createdAt,
        updatedAt: users.updatedAt,
      })
      .from(users)
      .where(eq(users.id, userId)),
    db
      .select({
        familyId: sessions.familyId,
        createdAt: sessions.createdAt,
        expiresAt: sessions.expiresAt,
        revokedAt: sessions.revokedAt,
        userAgent: sessions.userAgent,
        ip: sessions.ip,
        city: sessions.city,
        country: sessions.country,
      })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt), asc(sessions.id)),
    db.select().from(orders).where(eq(orders.userId, userId)).orderBy(asc(orders.createdAt), asc(orders.id)),
    db
      .select({
        orderId: orderLines.orderId,
        productId: orderLines.productId,
        name: orderLines.name,
        unitPriceCents: orderLines.unitPriceCents,
        quantity: orderLines.quantity,
      })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(eq(orders.userId, userId)),
    db
      .select({
        orderId: payments.orderId,
        provider: payments.provider,
        amountCents: payments.amountCents,
        status: payments.status,
        createdAt: payments.createdAt,
      })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(eq(orders.userId, userId)),
    db
      .select({ id: reviews.id, productId: reviews.productId, rating: reviews.rating, body: reviews.body, createdAt: reviews.createdAt })
      .from(reviews)
      .where(eq(reviews.userId, userId))
      .orderBy(asc(reviews.createdAt), asc(reviews.id)),
    db
      .select({
        productId: cartLines.productId,
        quantity: cartLines.quantity,
        addedPriceCents: cartLines.addedPriceCents,
        createdAt: cartLines.createdAt,
      })
      .from(cartLines)
      .where(eq(cartLines.userId, userId)),
  ]);
  return {
    profile: profile[0],
    sessions: sessionRows,
    orders: orderRows,
    lines: lineRows,
    payments: paymentRows,
    reviews: reviewRows,
    cart: cartRows,
  };
}
