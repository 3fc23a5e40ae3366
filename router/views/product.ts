// A product as shoppers see it: a stock status, never the count; its images with their sizes.
import * as z from "zod";
import { Timestamp } from "./common";
import { STOCK_STATUSES, stockStatus } from "../../domain/stock";
import type { ProductRow } from "../../db/catalog";

/** An image at its versioned URL, with the pixel size the page reserves before it loads. */
export const ImageView = z.object({ url: z.string(), width: z.number().int(), height: z.number().int(), alt: z.string() });

export const toImageView = (i: { key: string; width: number; height: number; alt: string }): z.infer<typeof ImageView> => ({
  url: `/images/${i.key}`,
  width: i.width,
  height: i.height,
  alt: i.alt,
});

const StoredImages = z.array(z.object({ key: z.string(), width: z.number(), height: z.number(), alt: z.string() }));

/** The JSON the catalog query builds (db/catalog.ts); rows cached before images existed have none. */
const imagesOf = (json: string | undefined) => (json ? StoredImages.parse(JSON.parse(json)).map(toImageView) : []);

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
  images: z.array(ImageView),
  createdAt: Timestamp,
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
  images: imagesOf(row.images),
  createdAt: new Date(row.createdAt),
});
