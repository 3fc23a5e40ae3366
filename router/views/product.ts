// A product as shoppers see it: a stock status, never the count.
import * as z from "zod";
import { STOCK_STATUSES, stockStatus } from "../../domain/stock";
import type { ProductRow } from "../../db/catalog";

export const ProductView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  stockStatus: z.enum(STOCK_STATUSES),
  rating: z.object({ average: z.number(), count: z.number().int() }),
  createdAt: z.date(),
});

export const toProductView = (row: ProductRow, lowStockThreshold: number): z.infer<typeof ProductView> => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  category: row.categorySlug,
  priceCents: row.priceCents,
  currency: row.currency,
  stockStatus: stockStatus(row.stock, lowStockThreshold),
  rating: { average: Math.round(row.ratingAvg * 10) / 10, count: row.ratingCount },
  createdAt: new Date(row.createdAt),
});
