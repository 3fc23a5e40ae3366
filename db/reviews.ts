// Reviews, and the product rating aggregate kept in step with them in the same batch.
import { and, desc, eq, exists, inArray, sql } from "drizzle-orm";
import type { Cursor } from "../domain/cursor";
import { STANDING_PURCHASE_PAYMENT } from "../domain/order-payment";
import { PURCHASED_STATUSES } from "../domain/order-status";
import type { Db } from "./client";
import { olderThan } from "./keyset";
import { orderLines, orders, payments, products, reviews, users } from "./schema";

/**
 * Whether a review's author's purchase of the product stands now: an order of theirs with it that is
 * paid, shipped or delivered and whose payment has succeeded (not refunded, waiting on a refund
 * or disputed). Computed when reviews are read, never stored: a purchase cancelled, released or
 * refunded after the review no longer verifies it. Driven from the author's orders
 * (orders_user_idx, a handful per customer) and each order's line by its primary key.
 */
function purchaseStands(db: Db) {
  return exists(
    db
      .select({ one: sql`1` })
      .from(orders)
      // CROSS JOIN fixes SQLite's loop order (orders outside); left to choose, it walks the
      // product's order lines, which for a best seller is every sale of it, once per review.
      .crossJoin(orderLines)
      .where(
        and(
          eq(orders.userId, reviews.userId),
          eq(orderLines.orderId, orders.id),
          eq(orderLines.productId, reviews.productId),
          inArray(orders.status, PURCHASED_STATUSES),
          exists(
            db
              .select({ one: sql`1` })
              .from(payments)
              .where(and(eq(payments.orderId, orders.id), eq(payments.status, STANDING_PURCHASE_PAYMENT))),
          ),
        ),
      ),
  );
}

/** One page of a product's reviews, newest first; `createdAt` in epoch ms so a page can be cached as JSON. */
export function listReviewsQuery(db: Db, productId: string, cursor: Cursor | null, limit: number) {
  return db
    .select({
      id: reviews.id,
      productId: reviews.productId,
      rating: reviews.rating,
      body: reviews.body,
      verifiedPurchase: sql<boolean>`${purchaseStands(db)}`.mapWith(Boolean),
      createdAt: sql<number>`${reviews.createdAt}`,
      authorName: users.name,
    })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .where(and(eq(reviews.productId, productId), olderThan(reviews.createdAt, reviews.id, cursor)))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(limit + 1);
}

export const listReviews = (db: Db, productId: string, cursor: Cursor | null, limit: number) =>
  listReviewsQuery(db, productId, cursor, limit).all();

/**
 * Inserts a review and updates the product's rating in one batch; null when the product is not
 * on sale. The rating update only runs when the insert did; whether the purchase stands is read
 * in the same batch, as every later read of the review reads it.
 */
export async function createReview(
  db: Db,
  r: { id: string; productId: string; userId: string; rating: number; body: string; createdAt: number },
) {
  const [, , inserted] = await db.batch([
    // insert … select takes every column in table order.
    db.insert(reviews).select(
      db
        .select({
          id: sql<string>`${r.id}`.as("id"),
          productId: products.id,
          userId: sql<string>`${r.userId}`.as("user_id"),
          rating: sql<number>`${r.rating}`.as("rating"),
          body: sql<string>`${r.body}`.as("body"),
          createdAt: sql<Date>`${r.createdAt}`.as("created_at"),
        })
        .from(products)
        .where(and(eq(products.id, r.productId), eq(products.status, "active"))),
    ),
    db
      .update(products)
      .set({
        ratingCount: sql`${products.ratingCount} + 1`,
        ratingSum: sql`${products.ratingSum} + ${r.rating}`,
        ratingAvg: sql`(${products.ratingSum} + ${r.rating}) * 1.0 / (${products.ratingCount} + 1)`,
      })
      .where(
        and(
          eq(products.id, r.productId),
          exists(
            db
              .select({ one: sql`1` })
              .from(reviews)
              .where(eq(reviews.id, r.id)),
          ),
        ),
      ),
    db
      .select({ verifiedPurchase: sql<boolean>`${purchaseStands(db)}`.mapWith(Boolean) })
      .from(reviews)
      .where(eq(reviews.id, r.id)),
  ]);
  const [review] = inserted;
  return review ? { verifiedPurchase: review.verifiedPurchase } : null;
}
