// reviews.*: anyone reads; a signed-in customer writes one review per product.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { isUniqueViolation } from "../db/client";
import { createReviewStatements, listReviews } from "../db/reviews";
import { Id, page, PageInput, parseCursor, toPage, byCreation } from "./schemas";
import { authedProcedure, publicProcedure, router } from "./trpc";

const ReviewView = z.object({
  id: z.string(),
  productId: z.string(),
  rating: z.number().int(),
  body: z.string(),
  verifiedPurchase: z.boolean(),
  authorName: z.string(),
  createdAt: z.date(),
});

export const reviewsRouter = router({
  list: publicProcedure
    .input(z.object({ productId: Id, ...PageInput }))
    .output(page(ReviewView))
    .query(async ({ ctx, input }) => {
      return toPage(await listReviews(ctx.db, input.productId, parseCursor(input.cursor), input.limit), input.limit, byCreation);
    }),

  create: authedProcedure
    .meta({ rateLimit: { key: "user", limit: 10, windowSeconds: 3600 } })
    .input(z.object({ productId: Id, rating: z.number().int().min(1).max(5), body: z.string().trim().min(1).max(4000) }))
    .output(ReviewView)
    .mutation(async ({ ctx, input }) => {
      const review = { id: crypto.randomUUID(), userId: ctx.user.id, createdAt: Date.now(), ...input };
      let results;
      try {
        results = await ctx.db.$client.batch(createReviewStatements(ctx.db.$client, review));
      } catch (error) {
        if (isUniqueViolation(error, "reviews")) throw new TRPCError({ code: "CONFLICT", message: "You have already reviewed this product." });
        throw error;
      }
      const inserted = results[2].results[0] as { verifiedPurchase: number } | undefined;
      if (!inserted) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      return {
        id: review.id,
        productId: review.productId,
        rating: review.rating,
        body: review.body,
        verifiedPurchase: inserted.verifiedPurchase === 1,
        authorName: ctx.user.name,
        createdAt: new Date(review.createdAt),
      };
    }),
});
