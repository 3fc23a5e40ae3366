// Catalog reads: categories, product pages, keyset-paginated lists, recommendations.
// Results are plain JSON values (dates as epoch ms) so they can sit in the KV cache as they are.
import { and, asc, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ListOrder, Sort } from "../domain/catalog";
import type { Cursor } from "../domain/cursor";
import type { Db } from "./client";
import { categories, coPurchases, productImages, products } from "./schema";
import { optionsAndVariantsBySlugQueries } from "./variants";

/** The KV cache namespace of catalog reads; every catalog edit moves it to a new version. */
export const CATALOG_CACHE = "catalog";

const productFields = {
  id: products.id,
  slug: products.slug,
  name: products.name,
  description: products.description,
  priceCents: products.priceCents,
  maxPriceCents: products.maxPriceCents,
  currency: products.currency,
  stock: products.stock,
  ratingAvg: products.ratingAvg,
  ratingCount: products.ratingCount,
  createdAt: sql<number>`${products.createdAt}`,
  // Aliased: in a batch D1 returns rows as objects keyed by column name, and the product's own
  // `slug` would swallow the category's, shifting every field after it.
  categorySlug: sql<string>`${categories.slug}`.as("category_slug"),
  categoryId: products.categoryId,
  // The product's images in order, as JSON text: one correlated read of product_images_product_idx
  // per product, in the same query (and so the same cache entry) as the product itself.
  images: sql<string>`(select json_group_array(json_object('key', ${productImages.key}, 'width', ${productImages.width}, 'height', ${productImages.height}, 'alt', ${productImages.alt}) order by ${productImages.position}, ${productImages.id}) from ${productImages} where ${productImages.productId} = ${products.id})`,
};

/** A product as catalog reads return it. */
export type ProductRow = NonNullable<Awaited<ReturnType<typeof findActiveProductBySlug>>>;

const active = eq(products.status, "active");

export const listCategories = (db: Db) =>
  db.select({ id: categories.id, slug: categories.slug, name: categories.name }).from(categories).orderBy(asc(categories.name)).all();

export const findActiveProductBySlug = (db: Db, slug: string) =>
  db
    .select(productFields)
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(and(eq(products.slug, slug), active))
    .get();

/** An active product with its options and active variants, in one round trip; undefined if none. */
export async function findProductDetailBySlug(db: Db, slug: string) {
  const [[product], options, variants] = await db.batch([
    db
      .select(productFields)
      .from(products)
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(and(eq(products.slug, slug), active)),
    ...optionsAndVariantsBySlugQueries(db, slug),
  ]);
  return product ? { ...product, options, variants } : undefined;
}

export type ProductDetailRow = NonNullable<Awaited<ReturnType<typeof findProductDetailBySlug>>>;

const SORT_COLUMN = {
  newest: sql`${products.createdAt}`,
  price_asc: sql`${products.priceCents}`,
  price_desc: sql`${products.priceCents}`,
  rating: sql`${products.ratingAvg}`,
} satisfies Record<Sort, SQL>;

/** The value a row is sorted by, for the next page's cursor. */
export const sortValue = (row: ProductRow, sort: Sort) =>
  sort === "newest" ? row.createdAt : sort === "rating" ? row.ratingAvg : row.priceCents;

// products_fts is the FTS5 index over active products' name and description, keyed by products'
// rowid (migrations/0002_products_fts.sql). drizzle-kit cannot describe a virtual table, so it is
// named here rather than in db/schema.ts.
const productsFts = sql.identifier("products_fts");
const ftsRowid = sql<number>`${productsFts}.rowid`;
// bm25 is lower for a better match; a word in the name or a variant's SKU weighs ten times one in the
// description.
const relevance = sql<number>`bm25(${productsFts}, 10.0, 1.0, 10.0)`;

/** A listed product; a search's rows also carry their relevance and index rowid, for the cursor. */
export type ListedProduct = ProductRow & { relevance?: number; rowid?: number };

/** The cursor that continues a list after this row. */
export const cursorAfter = (row: ListedProduct, order: ListOrder): Cursor =>
  order === "relevance" ? { v: row.relevance ?? 0, id: String(row.rowid ?? 0) } : { v: sortValue(row, order), id: row.id };

export interface ListQuery {
  category?: string;
  /** An FTS5 MATCH expression from domain/search.ts, never raw user text. */
  match?: string;
  order: ListOrder;
  cursor: Cursor | null;
  limit: number;
}

export const listActiveProducts = (db: Db, input: ListQuery): Promise<ListedProduct[]> => listQuery(db, input).all();

/** The query behind listActiveProducts, unexecuted (its plan is checked in test/query-plans.test.ts). */
export function listQuery(db: Db, input: ListQuery) {
  const { match, cursor } = input;
  // Relevance needs a search (listOrder never asks for it without one).
  const order = input.order === "relevance" && !match ? "newest" : input.order;
  const inCategory = input.category ? eq(categories.slug, input.category) : undefined;

  // A search reads the index first: CROSS JOIN forbids SQLite to reorder the join, so it reads the
  // matches and finds each product by rowid, rather than walk a products index over every active
  // product and probe the index for each. A search narrowed by category or sorted by a product
  // column reads every match's product, so it costs its match count in products too.
  if (match && order === "relevance") {
    // Ranked by relevance, a page continues after (relevance, rowid): both known to the index alone.
    const after = cursor ? sql`(${relevance}, ${ftsRowid}) > (${cursor.v}, ${cursor.id})` : undefined;
    const matches = sql`${productsFts} match ${match}`;
    if (!inCategory) {
      // The index holds active products only, so it ranks every match and keeps one page without
      // reading a single product; the page's products are then read by rowid. A common word costs
      // its match count in the index and one page of products ("steel", 38,000 matches of 200,000
      // products: 76,000 rows read, 44 ms, against 156,000 when every match was joined; BENCHMARKS.md).
      const hits = db
        .select({ rowid: ftsRowid.as("hit_rowid"), relevance: relevance.as("hit_relevance") })
        .from(sql`${productsFts}`)
        .where(and(matches, after))
        .orderBy(asc(relevance), asc(ftsRowid))
        .limit(input.limit + 1)
        .as("hits");
      // `active` is only a guard: the index never holds an archived product unless it was written
      // around the triggers.
      return db
        .select({ ...productFields, relevance: hits.relevance, rowid: hits.rowid })
        .from(hits)
        .crossJoin(products)
        .innerJoin(categories, eq(categories.id, products.categoryId))
        .where(and(sql`${products}.rowid = ${hits.rowid}`, active))
        .orderBy(asc(hits.relevance), asc(hits.rowid));
    }
    // Narrowed to a category, every match's product is read for its category.
    return db
      .select({ ...productFields, relevance, rowid: ftsRowid })
      .from(sql`${productsFts}`)
      .crossJoin(products)
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(and(matches, sql`${products}.rowid = ${ftsRowid}`, active, inCategory, after))
      .orderBy(asc(relevance), asc(ftsRowid))
      .limit(input.limit + 1);
  }

  const column = SORT_COLUMN[order === "relevance" ? "newest" : order];
  const ascending = order === "price_asc";
  const after = cursor
    ? ascending
      ? sql`(${column}, ${products.id}) > (${cursor.v}, ${cursor.id})`
      : sql`(${column}, ${products.id}) < (${cursor.v}, ${cursor.id})`
    : undefined;
  const orderBy = ascending ? [asc(column), asc(products.id)] : [desc(column), desc(products.id)];
  if (match) {
    // Sorted by a product column, every match's product is read for its price or rating.
    return db
      .select(productFields)
      .from(sql`${productsFts}`)
      .crossJoin(products)
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(and(sql`${productsFts} match ${match}`, sql`${products}.rowid = ${ftsRowid}`, active, inCategory, after))
      .orderBy(...orderBy)
      .limit(input.limit + 1);
  }
  return db
    .select(productFields)
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(and(active, inCategory, after))
    .orderBy(...orderBy)
    .limit(input.limit + 1);
}

/**
 * Products most often bought together with this one (db/co-purchases.ts counts paid orders),
 * topped up with the best-rated products of the same category. Two index reads in one round
 * trip: the product's partners in co_purchases_rank_idx, and its category's top in
 * products_category_rating_idx, so the cost follows `limit`, not the catalog or the order history
 * (it read every active product and sorted: 697,954 rows at 200,000 products).
 */
export async function recommendedProducts(db: Db, productId: string, limit: number): Promise<ProductRow[]> {
  const [together, topRated] = await db.batch(recommendationQueries(db, productId, limit));
  const seen = new Set(together.map((p) => p.id));
  return [...together, ...topRated.filter((p) => !seen.has(p.id))].slice(0, limit);
}

/** The two queries behind recommendedProducts, unexecuted (their rows read are bounded in test/scale.test.ts). */
export function recommendationQueries(db: Db, productId: string, limit: number) {
  const target = alias(products, "target");
  return [
    db
      .select(productFields)
      .from(coPurchases)
      .innerJoin(products, and(eq(products.id, coPurchases.otherId), active))
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(eq(coPurchases.productId, productId))
      .orderBy(desc(coPurchases.together), desc(coPurchases.otherId))
      .limit(limit),
    // Twice the limit: enough to fill the page whatever the partners above already took.
    db
      .select(productFields)
      .from(products)
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(
        and(
          eq(products.categoryId, db.select({ categoryId: target.categoryId }).from(target).where(eq(target.id, productId))),
          active,
          ne(products.id, productId),
        ),
      )
      .orderBy(desc(products.ratingAvg), desc(products.id))
      .limit(2 * limit),
  ] as const;
}
