// Catalog reads: categories, product pages, keyset-paginated lists, recommendations.
// Results are plain JSON values (dates as epoch ms) so they can sit in the KV cache as they are.
import { and, asc, desc, eq, or, sql, type SQL } from "drizzle-orm";
import type { Sort } from "../domain/catalog";
import type { Cursor } from "../domain/cursor";
import type { Db } from "./client";
import { categories, products } from "./schema";


const productFields = {
  id: products.id,
  slug: products.slug,
  name: products.name,
  description: products.description,
  priceCents: products.priceCents,
  currency: products.currency,
  stock: products.stock,
  ratingAvg: products.ratingAvg,
  ratingCount: products.ratingCount,
  createdAt: sql<number>`${products.createdAt}`,
  categorySlug: categories.slug,
  categoryId: products.categoryId,
};

export type ProductRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  ratingAvg: number;
  ratingCount: number;
  createdAt: number;
  categorySlug: string;
  categoryId: string;
};

const active = eq(products.status, "active");

export const listCategories = (db: Db) =>
  db.select({ id: categories.id, slug: categories.slug, name: categories.name }).from(categories).orderBy(asc(categories.name)).all();

export const findActiveProductBySlug = (db: Db, slug: string): Promise<ProductRow | undefined> =>
  db
    .select(productFields)
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(and(eq(products.slug, slug), active))
    .get();

const SORT_COLUMN = {
  newest: sql`${products.createdAt}`,
  price_asc: sql`${products.priceCents}`,
  price_desc: sql`${products.priceCents}`,
  rating: sql`${products.ratingAvg}`,
} satisfies Record<Sort, SQL>;

/** The value a row is sorted by, for the next page's cursor. */
export const sortValue = (row: ProductRow, sort: Sort) =>
  sort === "newest" ? row.createdAt : sort === "rating" ? row.ratingAvg : row.priceCents;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export function listActiveProducts(
  db: Db,
  input: { category?: string; q?: string; sort: Sort; cursor: Cursor | null; limit: number },
): Promise<ProductRow[]> {
  const column = SORT_COLUMN[input.sort];
  const ascending = input.sort === "price_asc";
  const conditions: (SQL | undefined)[] = [active];
  if (input.category) conditions.push(eq(categories.slug, input.category));
  if (input.q) {
    // LIKE is case-insensitive for ASCII in SQLite; see the closing note on FTS5.
    const pattern = `%${escapeLike(input.q)}%`;
    conditions.push(or(sql`${products.name} like ${pattern} escape '\\'`, sql`${products.description} like ${pattern} escape '\\'`));
  }
  if (input.cursor) {
    conditions.push(
      ascending
        ? sql`(${column}, ${products.id}) > (${input.cursor.v}, ${input.cursor.id})`
        : sql`(${column}, ${products.id}) < (${input.cursor.v}, ${input.cursor.id})`,
    );
  }
  return db
    .select(productFields)
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(and(...conditions))
    .orderBy(...(ascending ? [asc(column), asc(products.id)] : [desc(column), desc(products.id)]))
    .limit(input.limit + 1)
    .all();
}

/**
 * Products most often bought together with this one (co-purchase counts over paid orders),
 * topped up with the best-rated products of the same category.
 */
export async function recommendedProducts(db: Db, productId: string, limit: number): Promise<ProductRow[]> {
  const rows = await db.all<ProductRow & { score: number }>(sql`
    with target as (select id, category_id from products where id = ${productId}),
    bought_with as (
      select other.product_id as id, count(*) as together
      from order_lines mine
      join orders o on o.id = mine.order_id and o.status in ('paid', 'shipped', 'delivered')
      join order_lines other on other.order_id = mine.order_id and other.product_id <> mine.product_id
      where mine.product_id = ${productId}
      group by other.product_id
    )
    select p.id, p.slug, p.name, p.description, p.price_cents as priceCents, p.currency, p.stock,
           p.rating_avg as ratingAvg, p.rating_count as ratingCount, p.created_at as createdAt,
           c.slug as categorySlug, p.category_id as categoryId,
           coalesce(b.together, 0) as score
    from products p
    join categories c on c.id = p.category_id
    left join bought_with b on b.id = p.id
    where p.status = 'active' and p.id <> ${productId}
      and (b.id is not null or p.category_id = (select category_id from target))
    order by score desc, p.rating_avg desc, p.id
    limit ${limit}`);
  return rows.map(({ score: _score, ...row }) => row);
}
