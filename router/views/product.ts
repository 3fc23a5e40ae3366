// A product as shoppers see it: a stock status, never the count; its images with their sizes.
import * as z from "zod";
import { Timestamp } from "./common";
import { STOCK_STATUSES, stockStatus } from "../../domain/stock";
import type { ProductDetailRow, ProductRow } from "../../db/catalog";
import { variantLabel } from "../../domain/variants";

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
  /** The lowest price of the product's variants: "from" when `maxPriceCents` is higher. */
  priceCents: z.number().int(),
  /** The highest price of the product's variants (equal to `priceCents` for a product sold as one). */
  maxPriceCents: z.number().int(),
  currency: z.string(),
  /** The product as a whole: in stock while any variant is. */
  stockStatus: z.enum(STOCK_STATUSES),
  rating: z.object({ average: z.number(), count: z.number().int() }),
  images: z.array(ImageView),
  createdAt: Timestamp,
});

/** Rows cached before variants existed have no top price: their price was the only one. */
const topPrice = (row: { priceCents: number; maxPriceCents?: number }) => Math.max(row.maxPriceCents ?? row.priceCents, row.priceCents);

export const toProductView = (row: ProductRow, lowStockThreshold: number): z.infer<typeof ProductView> => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  category: row.categorySlug,
  priceCents: row.priceCents,
  maxPriceCents: topPrice(row),
  currency: row.currency,
  stockStatus: stockStatus(row.stock, lowStockThreshold),
  rating: { average: Math.round(row.ratingAvg * 10) / 10, count: row.ratingCount },
  images: imagesOf(row.images),
  createdAt: new Date(row.createdAt),
});

export const VariantView = z.object({
  id: z.string(),
  sku: z.string(),
  /** One value per option of the product, in the options' order; empty for a product without options. */
  optionValues: z.array(z.string()),
  /** The values joined for display ("M / Blue"); "" for a product without options. */
  label: z.string(),
  priceCents: z.number().int(),
  /** In the low-stock band as for products: never the count. */
  stockStatus: z.enum(STOCK_STATUSES),
  /** The image shown when this variant is chosen (one of the product's), if any. */
  images: z.array(ImageView),
});

export const ProductDetailView = ProductView.extend({
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  variants: z.array(VariantView),
});

export function toProductDetailView(row: ProductDetailRow, lowStockThreshold: number): z.infer<typeof ProductDetailView> {
  const optionCount = row.options.length;
  return {
    ...toProductView(row, lowStockThreshold),
    options: row.options.map((o) => ({ name: o.name, values: o.values })),
    variants: row.variants.map((v) => {
      const optionValues = [v.option1, v.option2, v.option3].slice(0, optionCount);
      return {
        id: v.id,
        sku: v.sku,
        optionValues,
        label: variantLabel(optionValues),
        priceCents: v.priceCents,
        stockStatus: stockStatus(v.stock, lowStockThreshold),
        images:
          v.imageKey !== null && v.imageWidth !== null && v.imageHeight !== null
            ? [toImageView({ key: v.imageKey, width: v.imageWidth, height: v.imageHeight, alt: v.imageAlt ?? "" })]
            : [],
      };
    }),
  };
}
