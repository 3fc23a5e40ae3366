// Product options and variants: reading them for catalog pages and carts, and the default variant
// a product without options is sold as.
import { and, asc, count, eq, notInArray, sql } from "drizzle-orm";
import type { OptionValues, VariantStatus } from "../domain/variants";
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

/** A product's options and every variant, archived ones too, as the back office's grid edits them. */
export async function findVariantGrid(db: Db, productId: string) {
  const [[product], options, variants] = await db.batch([
    db.select({ id: products.id }).from(products).where(eq(products.id, productId)),
    db
      .select({ name: productOptions.name, values: productOptions.values })
      .from(productOptions)
      .where(eq(productOptions.productId, productId))
      .orderBy(asc(productOptions.position)),
    db
      .select()
      .from(productVariants)
      .where(eq(productVariants.productId, productId))
      .orderBy(asc(productVariants.position), asc(productVariants.id)),
  ]);
  return product ? { options, variants } : undefined;
}

export interface GridRow {
  /** An existing variant of this product; absent for a new one. */
  id?: string;
  sku: string;
  values: OptionValues;
  priceCents: number;
  stock: number;
  weightGrams: number | null;
  status: VariantStatus;
  imageId: string | null;
}

/**
 * Saves a product's options and variants in one batch: the options replaced, the rows given
 * updated (only if they are this product's) or inserted, and every variant left out archived,
 * never deleted, since order lines name it. The triggers bring the product's summary and search
 * index along. The caller has checked that every given id is this product's (the update is
 * guarded by it too).
 */
export async function saveVariantGrid(
  db: Db,
  productId: string,
  options: readonly { name: string; values: string[] }[],
  rows: readonly GridRow[],
  at: Date,
) {
  const kept = rows.flatMap((r) => (r.id ? [r.id] : []));
  await db.batch([
    db.delete(productOptions).where(eq(productOptions.productId, productId)),
    ...options.map((o, position) => db.insert(productOptions).values({ productId, position, name: o.name, values: o.values })),
    db
      .update(productVariants)
      // After the rows given (positions 0..n-1), so the grid lists what is on sale first.
      .set({ status: "archived", position: sql`${productVariants.position} + ${rows.length}`, updatedAt: at })
      .where(and(eq(productVariants.productId, productId), kept.length > 0 ? notInArray(productVariants.id, kept) : undefined)),
    ...rows.map((r, position) => {
      const fields = {
        sku: r.sku,
        option1: r.values[0],
        option2: r.values[1],
        option3: r.values[2],
        priceCents: r.priceCents,
        stock: r.stock,
        weightGrams: r.weightGrams,
        status: r.status,
        imageId: r.imageId,
        position,
      };
      return r.id
        ? db
            .update(productVariants)
            .set({ ...fields, updatedAt: at })
            .where(and(eq(productVariants.id, r.id), eq(productVariants.productId, productId)))
        : db.insert(productVariants).values({ id: crypto.randomUUID(), productId, ...fields });
    }),
  ]);
}

/** Sets many variants' stock at once; returns the ids that exist. */
export async function setVariantsStock(db: Db, items: readonly { variantId: string; stock: number }[], at: Date) {
  const [first, ...rest] = items.map((i) =>
    db
      .update(productVariants)
      .set({ stock: i.stock, updatedAt: at })
      .where(eq(productVariants.id, i.variantId))
      .returning({ id: productVariants.id }),
  );
  if (!first) return [];
  const results = await db.batch([first, ...rest]);
  return results.flat().map((r) => r.id);
}
