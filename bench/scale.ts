// `npm run bench:scale`: what the hot queries cost as the data grows. It grows an in-memory local
// D1 in workerd (Miniflare, migrated with migrations/) to 200,000 products of 5 variants each
// (1,000,000 variant rows) and 1,000,000 order lines, runs the project's own queries (db/catalog.ts, db/orders.ts, bundled with esbuild) and
// prints D1's rows read (what D1 bills, independent of this machine) and time: D1's own duration
// (whole milliseconds locally) and the same SQL on the same data in Node's SQLite. Nothing here
// is a test; test/scale.test.ts bounds the rows read at 20,000 products.
//
// Environment: SCALE_PRODUCTS (200000), SCALE_VARIANTS (5 per product, at most 5),
// SCALE_ORDER_LINES (1000000), SCALE_REPEATS (5, median).
import type { SQLInputValue } from "node:sqlite";
import { loadAppModule, openScaleDatabase, type ScaleD1Result } from "./scale-db.ts";

const PRODUCTS = Number(process.env.SCALE_PRODUCTS ?? 200_000);
const LINES = Number(process.env.SCALE_ORDER_LINES ?? 1_000_000);
const REPEATS = Number(process.env.SCALE_REPEATS ?? 5);
// A variant per size; its SKU is the product's number, zero-padded (so no SKU's number is a prefix
// of another's), and the size: P0012345-M.
const SIZES = ["XS", "S", "M", "L", "XL"];
const VARIANTS = Math.max(1, Math.min(SIZES.length, Number(process.env.SCALE_VARIANTS ?? 5)));
const LINES_PER_ORDER = 3;
const ORDERS = Math.ceil(LINES / LINES_PER_ORDER);
const HOT_USER_ORDERS = Math.min(5_000, ORDERS);

type Built = { toSQL(): { sql: string; params: unknown[] } };
type Cursor = { v: number; id: string } | null;
interface Queries {
  listQuery(db: unknown, input: { category?: string; match?: string; order: string; cursor: Cursor; limit: number }): Built;
  recommendationQueries(db: unknown, productId: string, limit: number): readonly Built[];
  orderPageQueries(db: unknown, filter: { userId?: string; status?: string }, cursor: Cursor, limit: number): readonly Built[];
  findProductDetailBySlug(db: unknown, slug: string): Promise<unknown>;
  toMatchExpression(text: string): string | null;
  drizzle(d1: unknown): unknown;
}

// The application's query builders, bundled for Node and loaded from memory.
const app = await loadAppModule<Queries>(
  `export { listQuery, recommendationQueries, findProductDetailBySlug } from "../db/catalog"; export { orderPageQueries } from "../db/order-list"; export { toMatchExpression } from "../domain/search"; export { drizzle } from "drizzle-orm/d1";`,
);

const { mf, d1, local, both } = await openScaleDatabase("scale");
try {
  const t0 = performance.now();
  await both(
    "insert into categories (id, slug, name) select 'c' || value, 'cat-' || value, 'Category ' || value from json_each('[0,1,2,3,4,5,6,7,8,9]')",
  );
  const CHUNK = 20_000;
  for (let from = 1; from <= PRODUCTS; from += CHUNK) {
    await both(
      `with recursive n(i) as (select cast(?1 as integer) union all select i + 1 from n where i < cast(?2 as integer))
       insert into products (id, slug, name, description, category_id, price_cents, stock, status, rating_avg, created_at)
       select 'p' || i, 'product-' || i, 'Product ' || i, 'A product of the scale bench.', 'c' || (i % 10), 499 + (i * 7919) % 30000,
              10 + i % 50, case when i % 20 = 0 then 'archived' else 'active' end, (i % 50) / 10.0, 1700000000000 + i * 1000 from n`,
      [from, Math.min(PRODUCTS, from + CHUNK - 1)],
    );
  }
  // Variants through the app's own triggers (migrations/0015): each insert recomputes its product's
  // summary from that product's variants (product_variants_product_idx, at most five rows) and
  // re-indexes that product's SKUs, so the cost per row does not grow with the table. The first
  // size carries the product's price, each next one 100 cents more.
  const sizes = JSON.stringify(SIZES.slice(0, VARIANTS));
  const variantsStart = performance.now();
  // A fifth of the chunk: each row also runs its triggers.
  const VARIANT_CHUNK = CHUNK / 5;
  for (let from = 1; from <= PRODUCTS; from += VARIANT_CHUNK) {
    await both(
      `with recursive n(i) as (select cast(?1 as integer) union all select i + 1 from n where i < cast(?2 as integer))
       insert into product_variants (id, product_id, sku, option1, price_cents, stock, position, created_at)
       select 'v' || i || '-' || s.key, 'p' || i, printf('P%07d-%s', i, s.value), s.value, 499 + (i * 7919) % 30000 + s.key * 100,
              2 + (i + s.key) % 10, s.key, 1700000000000 + i * 1000 from n, json_each(?3) s`,
      [from, Math.min(PRODUCTS, from + VARIANT_CHUNK - 1), sizes],
    );
  }
  const variantsSeconds = (performance.now() - variantsStart) / 1000;
  await both(
    `insert into users (id, email, name, password_hash)
     select 'u' || value, 'u' || value || '@scale.local', 'User ' || value, 'x' from json_each('[0,1,2,3,4,5,6,7,8,9]')`,
  );
  // Orders: the first HOT_USER_ORDERS belong to u0 (a customer with a long history), the rest to
  // nine others; nine in ten delivered. Each has three lines: a popular product (one of the first
  // thousand) and two from anywhere, so popular products have many partners.
  for (let from = 1; from <= ORDERS; from += CHUNK) {
    const to = Math.min(ORDERS, from + CHUNK - 1);
    await both(
      `with recursive n(i) as (select cast(?1 as integer) union all select i + 1 from n where i < cast(?2 as integer))
       insert into orders (id, user_id, status, subtotal_cents, total_cents, shipping_address, created_at)
       select 'o' || i, case when i <= cast(?3 as integer) then 'u0' else 'u' || (1 + i % 9) end,
              case when i % 10 = 0 then 'paid' else 'delivered' end, 1000, 1000, '{}', 1750000000000 + i * 1000 from n`,
      [from, to, HOT_USER_ORDERS],
    );
    await both(
      `with recursive n(i) as (select cast(?1 as integer) union all select i + 1 from n where i < cast(?2 as integer))
       insert or ignore into order_lines (order_id, product_id, variant_id, name, unit_price_cents, quantity)
       select 'o' || i, 'p' || p, 'v' || p || '-' || ((i + k) % cast(?4 as integer)), 'x', 100, 1
       from (select i, k, 1 + (i * k + k * k * 7) % (case k when 0 then 1000 else cast(?3 as integer) end) as p
             from n, (select 0 as k union all select 1 union all select 2))`,
      [from, to, PRODUCTS, VARIANTS],
    );
  }
  // What the settle batch keeps in step (db/co-purchases.ts), counted here a chunk of orders at a
  // time: the migration's one-statement backfill of a million lines is too much for one local D1 call.
  for (let from = 1; from <= ORDERS; from += CHUNK) {
    await both(
      `insert into co_purchases (product_id, other_id, together)
       select mine.product_id, other.product_id, count(*) from orders
       join order_lines mine on mine.order_id = orders.id
       join order_lines other on other.order_id = orders.id and other.product_id <> mine.product_id
       where orders.rowid between cast(?1 as integer) and cast(?2 as integer) and orders.status in ('paid', 'shipped', 'delivered')
       group by mine.product_id, other.product_id
       on conflict (product_id, other_id) do update set together = together + excluded.together`,
      [from, Math.min(ORDERS, from + CHUNK - 1)],
    );
  }
  await both("pragma optimize");
  const pragma = (name: string) => Number(Object.values(local.prepare(`pragma ${name}`).get() ?? {})[0]);
  const sqliteBytes = () => pragma("page_count") * pragma("page_size");
  const count = async (sql: string) => ((await d1.prepare(sql).bind().all()).results[0] as { n: number }).n;
  console.log(
    `${await count("select count(*) as n from products")} products, ` +
      `${await count("select count(*) as n from product_variants")} variants (${variantsSeconds.toFixed(1)} s of it), ` +
      `${await count("select count(*) as n from orders")} orders, ` +
      `${await count("select count(*) as n from order_lines")} order lines, ${await count("select count(*) as n from co_purchases")} co-purchase pairs ` +
      `in ${((performance.now() - t0) / 1000).toFixed(1)} s; database ${(sqliteBytes() / 2 ** 20).toFixed(0)} MiB (as SQLite stores it)`,
  );

  const db = app.drizzle(d1);
  const first = async <T>(sql: string) => (await d1.prepare(sql).bind().all()).results[0] as T;
  const hot = await first<{ id: string }>(
    "select product_id as id from co_purchases group by product_id order by count(*) desc, product_id limit 1",
  );
  const productCursor = await first<{ v: number; id: string }>("select created_at as v, id from products where id = 'p21'");
  const priceCursor = await first<{ v: number; id: string }>(
    "select price_cents as v, id from products where status = 'active' order by price_cents desc, id desc limit 1 offset 30",
  );
  // The last page: a cursor 20 rows from the oldest.
  const lastOfHot = await first<{ v: number; id: string }>(
    "select created_at as v, id from orders where user_id = 'u0' order by created_at, id limit 1 offset 20",
  );
  const lastDelivered = await first<{ v: number; id: string }>(
    "select created_at as v, id from orders where status = 'delivered' order by created_at, id limit 1 offset 20",
  );
  // The cursor the orders lists used before keyset row values: `a < ? or (a = ? and b < ?)`.
  const orCursor = (status: string | null, user: string | null, c: { v: number; id: string }) => ({
    sql: `select id from orders where ${status ? "status = ?4" : "user_id = ?4"} and (created_at < ?1 or (created_at = ?2 and id < ?3)) order by created_at desc, id desc limit 21`,
    params: [c.v, c.v, c.id, status ?? user],
  });

  // What catalog.get runs: findProductDetailBySlug's one batch (the product, its options, its
  // variants), caught on its way to D1 through a db whose batch only records its statements.
  const detailSlug = `product-${Math.floor(PRODUCTS / 2) + 1}`;
  let detail: readonly Built[] = [];
  const recorder = Object.create(db as object, {
    batch: { value: async (queries: readonly Built[]) => ((detail = queries), [[], [], []]) },
  }) as unknown;
  await app.findProductDetailBySlug(recorder, detailSlug);
  // A search by a whole SKU, as catalog.list turns q into a MATCH expression (domain/search.ts).
  const sku = `P${String(Math.floor(PRODUCTS / 2) + 1).padStart(7, "0")}-${SIZES[VARIANTS - 1]}`;
  const skuMatch = app.toMatchExpression(sku) ?? "";
  // Both must find what they look for, or their figures mean nothing.
  const found = async (query: Built | undefined) => {
    const { sql, params } = query?.toSQL() ?? { sql: "select 1 where 0", params: [] };
    return (
      await d1
        .prepare(sql)
        .bind(...params)
        .all()
    ).results.length;
  };
  const skuQuery = app.listQuery(db, { match: skuMatch, order: "relevance", cursor: null, limit: 20 });
  if ((await found(detail[2])) !== VARIANTS || (await found(skuQuery)) !== 1)
    throw new Error(`catalog.get did not find ${VARIANTS} variants of ${detailSlug}, or the search for ${sku} not one product`);

  const cases: [string, readonly { toSQL(): { sql: string; params: unknown[] } }[]][] = [
    ["catalog.list newest, first page", [app.listQuery(db, { order: "newest", cursor: null, limit: 20 })]],
    ["catalog.list newest, last page", [app.listQuery(db, { order: "newest", cursor: productCursor, limit: 20 })]],
    ["catalog.list by price, last page", [app.listQuery(db, { order: "price_desc", cursor: priceCursor, limit: 20 })]],
    ["catalog.list in a category by rating", [app.listQuery(db, { category: "cat-3", order: "rating", cursor: null, limit: 20 })]],
    [`catalog.get with its ${VARIANTS} variants (${detailSlug})`, detail],
    [`catalog.list search by SKU (q=${sku})`, [skuQuery]],
    [`catalog.recommendations, most co-purchased product (${hot.id})`, app.recommendationQueries(db, hot.id, 6)],
    ["catalog.recommendations, a product never bought", app.recommendationQueries(db, `p${PRODUCTS - 1}`, 6)],
    [`orders.list, last page of ${HOT_USER_ORDERS} orders`, app.orderPageQueries(db, { userId: "u0" }, lastOfHot, 20)],
    ["admin.orders.list delivered, last page", app.orderPageQueries(db, { status: "delivered" }, lastDelivered, 20)],
    ["before: orders.list last page, or-cursor (page ids only)", [{ toSQL: () => orCursor(null, "u0", lastOfHot) }]],
    [
      "before: admin.orders.list delivered last page, or-cursor (page ids only)",
      [{ toSQL: () => orCursor("delivered", null, lastDelivered) }],
    ],
  ];

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const rows = ["| query | rows read (D1) | D1 ms | SQLite ms |", "|---|---:|---:|---:|"];
  for (const [label, queries] of cases) {
    let rowsRead = 0;
    let d1Ms = 0;
    let localMs = 0;
    for (const query of queries) {
      const { sql, params } = query.toSQL();
      const d1Runs: ScaleD1Result[] = [];
      for (let i = 0; i <= REPEATS; i++)
        d1Runs.push(
          await d1
            .prepare(sql)
            .bind(...params)
            .all(),
        );
      rowsRead += median(d1Runs.slice(1).map((r) => r.meta.rows_read ?? NaN));
      d1Ms += median(d1Runs.slice(1).map((r) => r.meta.duration ?? NaN));
      const statement = local.prepare(sql);
      const times: number[] = [];
      for (let i = 0; i <= REPEATS; i++) {
        const t = performance.now();
        statement.all(...(params as SQLInputValue[]));
        if (i > 0) times.push(performance.now() - t);
      }
      localMs += median(times);
    }
    const line = `| ${label} | ${rowsRead} | ${d1Ms} | ${localMs.toFixed(2)} |`;
    rows.push(line);
    console.log(line);
  }
  console.log(`\n${rows.join("\n")}`);
} finally {
  await mf.dispose();
}
