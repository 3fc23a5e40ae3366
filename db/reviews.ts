// Reviews, and the product rating aggregate kept in step with them in the same batch.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Cursor } from "../domain/cursor";
import type { Db } from "./client";
import { olderThan } from "./keyset";
import { reviews, users } from "./schema";

/** One page of a product's reviews, newest first; `createdAt` in epoch ms so a page can be cached as JSON. */
export function listReviews(db: Db, productId: string, cursor: Cursor | null, limit: number) {
  return db
    .select({
      id: reviews.id,
      productId: reviews.productId,
      rating: reviews.rating,
      body: reviews.body,
      verifiedPurchase: reviews.verifiedPurchase,
      createdAt: sql<number>`${reviews.createdAt}`,
      authorName: users.name,
    })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .where(and(eq(reviews.productId, productId), olderThan(reviews.createdAt, reviews.id, cursor)))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(limit + 1)
    .all();
}

/** Inserts a review (verified when the author has a paid order with the product) and updates the rating. */
function createReviewStatements(d1: D1Database, r: { id: string; productId: string; userId: string; rating: number; body: string; createdAt: number }) {
  return [
    d1
      .prepare(
        `insert into reviews (id, product_id, user_id, rating, body, verified_purchase, created_at)
         select ?1, p.id, ?3, ?4, ?5,
           exists (select 1 from order_lines ol join orders o on o.id = ol.order_id
                   where ol.product_id = ?2 and o.user_id = ?3 and o.status in ('paid', 'shipped', 'delivered')),
           ?6
         from products p where p.id = ?2 and p.status = 'active'`,
      )
      .bind(r.id, r.productId, r.userId, r.rating, r.body, r.createdAt),
    d1
      .prepare(
        `update products set rating_count = rating_count + 1, rating_sum = rating_sum + ?2,
           rating_avg = (rating_sum + ?2) * 1.0 / (rating_count + 1)
         where id = ?1 and exists (select 1 from reviews where id = ?3)`,
      )
      .bind(r.productId, r.rating, r.id),
    d1.prepare("select verified_purchase as verifiedPurchase from reviews where id = ?1").bind(r.id),
  ];
}

/** Inserts a review and updates the product's rating in one batch; null when the product is not on sale. */
export async function createReview(db: Db, r: { id: string; productId: string; userId: string; rating: number; body: string; createdAt: number }) {
  const results = await db.$client.batch(createReviewStatements(db.$client, r));
  const inserted = results[2]?.results[0] as { verifiedPurchase: number } | undefined;
  return inserted ? { verifiedPurchase: inserted.verifiedPurchase === 1 } : null;
}
