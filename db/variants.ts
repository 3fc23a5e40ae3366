// Product options and variants: reading them for catalog pages and carts, and the default variant
// a product without options is sold as.
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { productImages, products, productOptions, productVariants, type Product } from "./schema";

/** A new product and its default variant (the product's id, SKU its slug), in one batch. */
export async function insertProductWithDefaultVariant(db: Db, row: typeof products.$inferInsert & { id: string }): Promise<Product> {
  const [[product]] = await db.batch([
    db
      .insert(products)
      .values({ ...row, maxPriceCents: row.priceCents })
      .returning(),
    db.insert(productVariants).values({
      id: row.id,
      productId: row.id,
      sku: row.slug,
      priceCents: row.priceCents,
      stock: row.stock ?? 0,
    }),
  ]);
  if (!product) throw new Error("product insert returned no row");
  return product;
}

/**
 * Sets the price or stock of a product sold as one variant (its only active one); the triggers
 * carry it to the product's summary. False when the product has several variants (or none): then
 * prices and stock are set per variant.
 */
export async function setSingleVariant(db: Db, productId: string, patch: { priceCents?: number; stock?: number }): Promise<boolean> {
  const onlyOne = sql`(${db
    .select({ n: count() })
    .from(productVariants)
    .where(and(eq(productVariants.productId, productId), eq(productVariants.status, "active")))}) = 1`;
  const result = await db
    .update(productVariants)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(productVariants.productId, productId), eq(productVariants.status, "active"), onlyOne))
    .run();
  return result.meta.changes > 0;
}

/** Why a variant could not be added: the product's state and the variant's, as one read. */
export async function addability(db: Db, productId: string, variantId: string | null) {
  const [[product], [variant], [active]] = await db.batch([
    db.select({ status: products.status }).from(products).where(eq(products.id, productId)),
    db
      .select({ productId: productVariants.productId, status: productVariants.status })
      .from(productVariants)
      .where(eq(productVariants.id, variantId ?? "")),
    db
      .select({ n: count() })
      .from(productVariants)
      .where(and(eq(productVariants.productId, productId), eq(productVariants.status, "active"))),
  ]);
  return { product: product ?? null, variant: variant ?? null, activeVariants: active?.n ?? 0 };
}

/**
 * The options (by position) and active variants (by position) of the active product with this
 * slug, as two queries for the same batch as the product itself: one round trip for the page.
 */
export function optionsAndVariantsBySlugQueries(db: Db, slug: string) {
  const productId = db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.slug, slug), eq(products.status, "active")));
  return [
    db
      .select({ name: productOptions.name, values: productOptions.values })
      .from(productOptions)
      .where(eq(productOptions.productId, productId))
      .orderBy(asc(productOptions.position)),
    db
      .select({
        id: productVariants.id,
        sku: productVariants.sku,
        option1: productVariants.option1,
        option2: productVariants.option2,
        option3: productVariants.option3,
        priceCents: sql<number>`${productVariants.priceCents}`.as("variant_price_cents"),
        stock: sql<number>`${productVariants.stock}`.as("variant_stock"),
        imageKey: productImages.key,
        imageWidth: productImages.width,
        imageHeight: productImages.height,
        imageAlt: productImages.alt,
      })
      .from(productVariants)
      .leftJoin(productImages, eq(productImages.id, productVariants.imageId))
      .where(and(eq(productVariants.productId, productId), eq(productVariants.status, "active")))
      .orderBy(asc(productVariants.position), asc(productVariants.id)),
  ] as const;
}
