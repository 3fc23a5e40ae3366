// Cost that does not grow with the data: on a catalog of 20,000 products and 20,000 orders, the
// hot procedures' queries read a bounded number of rows (D1's billed `rows_read`, which does not
// depend on the machine's speed). The queries are the project's own, built by db/.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { listQuery, recommendationQueries } from "../db/catalog";
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { orderPageQueries } from "../db/order-list";

const PRODUCTS = 20_000;
const ORDERS = 20_000;
const HOT_USER_ORDERS = 2_000;
const PARTNERS = 500;

interface Built {
  toSQL(): { sql: string; params: unknown[] };
}

async function rowsRead(...queries: Built[]): Promise<number> {
  let rows = 0;
  for (const query of queries) {
    const { sql, params } = query.toSQL();
    const result = await env.DB.prepare(sql)
      .bind(...params)
      .all();
    rows += result.meta.rows_read;
  }
  return rows;
}

const db = createDb(env.DB, newMetrics());
const at = (sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .first<{ v: number; id: string }>();

describe(`rows read per hot query at ${PRODUCTS.toLocaleString("en")} products`, () => {
  beforeAll(async () => {
    // Grown with recursive CTEs inside D1, so the set-up costs SQLite's time, not round trips.
    const steps = [
      env.DB.prepare(
        "with recursive n(i) as (select 0 union all select i + 1 from n where i < 9) insert into categories (id, slug, name) select 'sc-' || i, 'scale-' || i, 'Scale ' || i from n",
      ),
      env.DB.prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
         insert into products (id, slug, name, description, category_id, price_cents, stock, rating_avg, created_at)
         select 'sp-' || i, 'scale-item-' || i, 'Scale Item ' || i, 'Grown for the scale test.', 'sc-' || (i % 10), 100 + (i * 7919) % 100000, 50, (i % 50) / 10.0, 1000000 + i from n`,
      ).bind(PRODUCTS),
      // Every product sold as its default variant (its own id), as the variants migration leaves a catalog.
      env.DB.prepare(
        "insert into product_variants (id, product_id, sku, price_cents, stock) select id, id, slug, price_cents, stock from products where id like 'sp-%'",
      ),
      env.DB.prepare(
        "insert into users (id, email, name, password_hash) values ('su-hot', 'scale-hot@example.test', 'Hot', 'x'), ('su-rest', 'scale-rest@example.test', 'Rest', 'x')",
      ),
      env.DB.prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
         insert into orders (id, user_id, status, subtotal_cents, total_cents, shipping_address, created_at)
         select 'so-' || i, case when i <= ?2 then 'su-hot' else 'su-rest' end, 'delivered', 100, 100, '{}', 2000000 + i from n`,
      ).bind(ORDERS, HOT_USER_ORDERS),
      env.DB.prepare(
        `insert into order_lines (order_id, product_id, variant_id, name, unit_price_cents, quantity)
         select o.id, p, p, 'x', 100, 1 from (select id, 'sp-' || (1 + (cast(substr(id, 4) as integer) * 13) % cast(?1 as integer)) as p from orders where id like 'so-%') o`,
      ).bind(PRODUCTS),
      env.DB.prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
         insert into co_purchases (product_id, other_id, together) select 'sp-1', 'sp-' || (i + 1), 1 + i % 17 from n`,
      ).bind(PARTNERS),
    ];
    for (const [i, step] of steps.entries())
      await step.run().catch((e: unknown) => {
        throw new Error(`step ${i}: ${String(e)}`);
      });
  }, 120_000);

  // [query, at most rows read]. A page is 20 rows (21 read to know there is a next one) plus the
  // index entries and joined rows it takes to find them; an order list's three statements (orders,
  // lines, payments) each find the page again.
  it.each<[string, number, () => Promise<Built[]>]>([
    ["catalog.list first page", 100, async () => [listQuery(db, { order: "newest", cursor: null, limit: 20 })]],
    [
      "catalog.list, a page deep in the catalog (row-value cursor)",
      100,
      async () => {
        const c = await at("select created_at as v, id from products where id = 'sp-1000'");
        return [listQuery(db, { order: "newest", cursor: { v: c!.v, id: c!.id }, limit: 20 })];
      },
    ],
    [
      "catalog.list by price, deep",
      100,
      async () => {
        const c = await at("select price_cents as v, id from products where id = 'sp-17'");
        return [listQuery(db, { order: "price_asc", cursor: { v: c!.v, id: c!.id }, limit: 20 })];
      },
    ],
    ["catalog.list in a category", 100, async () => [listQuery(db, { category: "scale-3", order: "rating", cursor: null, limit: 20 })]],
    ["catalog.recommendations, a product with 500 partners", 150, async () => [...recommendationQueries(db, "sp-1", 6)]],
    ["catalog.recommendations, a product bought with nothing", 150, async () => [...recommendationQueries(db, "sp-2", 20)]],
    [
      "orders.list, the last page of 2,000 orders",
      300,
      async () => {
        const c = await at("select created_at as v, id from orders where id = 'so-25'");
        return [...orderPageQueries(db, { userId: "su-hot" }, { v: c!.v, id: c!.id }, 20)];
      },
    ],
    [
      "admin.orders.list delivered, the last page of 20,000",
      300,
      async () => {
        const c = await at("select created_at as v, id from orders where id = 'so-25'");
        return [...orderPageQueries(db, { status: "delivered" }, { v: c!.v, id: c!.id }, 20)];
      },
    ],
  ])("%s: at most %i rows", async (_, bound, build) => {
    const read = await rowsRead(...(await build()));
    expect(read).toBeLessThanOrEqual(bound);
  });
});
