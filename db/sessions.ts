// Queries on refresh-token sessions: issue, rotate, revoke, and the live-session check that
// every signed-in request makes.
import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "./client";
import { sessions, users } from "./schema";

export type NewSession = typeof sessions.$inferInsert;

export const insertSessionQuery = (db: Db, row: NewSession) => db.insert(sessions).values(row);

/** A refresh token's session and its owner, in one round trip. */
export const findSessionWithUser = (db: Db, tokenHash: string) =>
  db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .get();

/**
 * Replaces a refresh token by its successor in one atomic batch. The update only matches while
 * the old row is live, and the insert only runs when that update pointed the old row at this
 * successor, so of two concurrent rotations of the same token exactly one wins.
 */
export async function rotateSession(db: Db, oldId: string, next: NewSession & { id: string }): Promise<boolean> {
  const now = new Date();
  // Every column, in table order: drizzle's insert … select requires it.
  const [, inserted] = await db.batch([
    db
      .update(sessions)
      .set({ revokedAt: now, replacedBy: next.id, lastUsedAt: now })
      .where(and(eq(sessions.id, oldId), isNull(sessions.revokedAt))),
    db.insert(sessions).select(
      db
        .select({
          id: sql<string>`${next.id}`.as("id"),
          userId: sql<string>`${next.userId}`.as("user_id"),
          familyId: sql<string>`${next.familyId}`.as("family_id"),
          tokenHash: sql<string>`${next.tokenHash}`.as("token_hash"),
          replacedBy: sql<string | null>`null`.as("replaced_by"),
          expiresAt: sql<Date>`${next.expiresAt.getTime()}`.as("expires_at"),
          revokedAt: sql<Date | null>`null`.as("revoked_at"),
          createdAt: sql<Date>`${now.getTime()}`.as("created_at"),
          lastUsedAt: sql<Date | null>`null`.as("last_used_at"),
          userAgent: sql<string | null>`${next.userAgent ?? null}`.as("user_agent"),
          ip: sql<string | null>`${next.ip ?? null}`.as("ip"),
          city: sql<string | null>`${next.city ?? null}`.as("city"),
          country: sql<string | null>`${next.country ?? null}`.as("country"),
        })
        .from(sessions)
        .where(and(eq(sessions.id, oldId), eq(sessions.replacedBy, next.id))),
    ),
  ]);
  return inserted.meta.changes === 1;
}

export const revokeFamilyQuery = (db: Db, familyId: string) =>
  db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)));

export const revokeOtherFamiliesQuery = (db: Db, userId: string, keepFamily: string) =>
  db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), ne(sessions.familyId, keepFamily), isNull(sessions.revokedAt)));

/** The user behind an access token, only while its session family still has a live token. */
export const findLiveSessionUser = (db: Db, userId: string, familyId: string, now = new Date()) =>
  db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      emailVerified: users.emailVerified,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        sql`exists (select 1 from ${sessions} where ${sessions.familyId} = ${familyId} and ${sessions.userId} = ${userId} and ${isNull(sessions.revokedAt)} and ${gt(sessions.expiresAt, now)})`,
      ),
    )
    .get();
