// reviews.*: anyone reads (cached per product); a signed-in customer writes one review per product.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { cached, invalidateNamespace, type CacheDeps } from "../../db/cache";
import { isUniqueViolation } from "../../db/client";
import { createReview, listReviews } from "../../db/reviews";
import { Id, page, PageInput, parseCursor, toPage } from "../views/common";
import { ReviewView } from "../views/review";
import { authedProcedure, cachedPublicProcedure, router } from "../trpc";

// One namespace per product: a new review invalidates that product's pages only.
const reviewsCache = (productId: string) => `reviews:${productId}`;
const TTL_SECONDS = 300;

/**
 * A cancelled order's purchases no longer verify their reviews (computed at read, db/reviews.ts):
 * the pages of its products are read again. Refunds and disputes the provider reports reach
 * the pages when their entries expire (TTL_SECONDS).
 */
export async function forgetReviewPages(cache: CacheDeps, order: { lines: readonly { productId: string }[] }) {
  await Promise.all([...new Set(order.lines.map((l) => l.productId))].map((id) => invalidateNamespace(cache, reviewsCache(id))));
}

export const reviewsRouter = router({
  // Edge-cached under the product's reviews version too, so a new review shows on the next read.
  list: cachedPublicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/catalog/products/{productId}/reviews",
        tags: ["reviews"],
        summary: "A product's reviews, newest first.",
        protect: false,
        refusals: { 400: "Invalid input, or a page cursor we did not issue." },
      },
    })
    .meta({ cacheNamespace: { prefix: "reviews:", field: "productId" } })
    .input(z.object({ productId: Id, ...PageInput }))
    .output(page(ReviewView))
    .query(async ({ ctx, input }) => {
      const cursor = parseCursor(input.cursor);
      // Only a first page with reviews reaches KV (db/cache.ts): an unknown product has none, and
      // cursors are the caller's to invent; the rest stays in the isolate's memory.
      const rows = await cached(
        ctx.cache,
        reviewsCache(input.productId),
        `list:${input.cursor ?? ""}:${input.limit}`,
        TTL_SECONDS,
        () => listReviews(ctx.db, input.productId, cursor, input.limit),
        (r) => cursor === null && r.length > 0,
      );
      const { items, nextCursor } = toPage(rows, input.limit, (last) => ({ v: last.createdAt, id: last.id }));
      return { items: items.map((r) => ({ ...r, createdAt: new Date(r.createdAt) })), nextCursor };
    }),

  create: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/catalog/products/{productId}/reviews",
        tags: ["reviews"],
        summary: "Review a product (one review per customer and product).",
        protect: true,
        refusals: { 404: "No such product.", 409: "You have already reviewed this product." },
      },
    })
    .meta({ rateLimit: { key: "user", limit: 10, windowSeconds: 3600 } })
    .input(z.object({ productId: Id, rating: z.number().int().min(1).max(5), body: z.string().trim().min(1).max(4000) }))
    .output(ReviewView)
    .mutation(async ({ ctx, input }) => {
      const review = { id: crypto.randomUUID(), userId: ctx.user.id, createdAt: ctx.now(), ...input };
      const inserted = await createReview(ctx.db, review).catch((error: unknown) => {
        if (isUniqueViolation(error, "reviews"))
          throw new TRPCError({ code: "CONFLICT", message: "You have already reviewed this product." });
        throw error;
      });
      if (!inserted) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      await invalidateNamespace(ctx.cache, reviewsCache(input.productId));
      return {
        id: review.id,
        productId: review.productId,
        rating: review.rating,
        body: review.body,
        verifiedPurchase: inserted.verifiedPurchase,
        authorName: ctx.user.name,
        createdAt: new Date(review.createdAt),
      };
    }),
});
