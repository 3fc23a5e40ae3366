// A product review as anyone may read it.
import * as z from "zod";
import { Timestamp } from "./common";

export const ReviewView = z.object({
  id: z.string(),
  productId: z.string(),
  rating: z.number().int(),
  body: z.string(),
  verifiedPurchase: z.boolean(),
  authorName: z.string(),
  createdAt: Timestamp,
});
