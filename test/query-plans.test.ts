// Hot queries must use an index, never scan a whole table (EXPLAIN QUERY PLAN).
import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { findUsersByEmail } from "../db/admin";
import { listQuery, type ListQuery } from "../db/catalog";
import { exportPageQuery } from "../db/exports";
import { listReviewsQuery } from "../db/reviews";
import { dailySalesQuery, discountUsageQuery, salesSummaryQuery, topProductsQuery } from "../db/sales";
import { toMatchExpression } from "../domain/search";

const HOT_QUERIES: [string, string, unknown[]][] = [
  ["login: user by email", "select * from users where email = ?1", ["a@b.c"]],
  ["refresh: session by token hash", "select * from sessions s join users u on u.id = s.user_id where s.token_hash = ?1", ["x"]],
  [
    "session check",
    "select 1 from sessions where family_id = ?1 and user_id = ?2 and revoked_at is null and expires_at > ?3",
    ["f", "u", 0],
  ],
  ["catalog.get", "select * from products p join categories c on c.id = p.category_id where p.slug = ?1 and p.status = 'active'", ["s"]],
  [
    "catalog.list newest",
    "select * from products where status = 'active' and (created_at, id) < (?1, ?2) order by created_at desc, id desc limit 21",
    [0, ""],
  ],
  ["catalog.list by price", "select * from products where status = 'active' order by price_cents, id limit 21", []],
  ["catalog.list by rating", "select * from products where status = 'active' order by rating_avg desc, id desc limit 21", []],
  [
    "catalog.list in a category",
    "select * from products p join categories c on c.id = p.category_id where p.status = 'active' and c.slug = ?1 order by p.created_at desc, p.id desc limit 21",
    ["x"],
  ],
  ["cart lines", "select * from cart_lines cl join products p on p.id = cl.product_id where cl.user_id = ?1", ["u"]],
  ["discount by code", "select * from discounts where code = ?1", ["C"]],
  ["redemptions by user", "select count(*) from discount_redemptions where discount_id = ?1 and user_id = ?2", ["d", "u"]],
  ["orders.list", "select * from orders where user_id = ?1 order by created_at desc, id desc limit 21", ["u"]],
  ["admin.orders.list by status", "select * from orders where status = ?1 order by created_at desc, id desc limit 21", ["paid"]],
  ["order lines of an order", "select * from order_lines where order_id = ?1", ["o"]],
  [
    "co-purchases",
    "select other.product_id from order_lines mine join order_lines other on other.order_id = mine.order_id where mine.product_id = ?1",
    ["p"],
  ],
  ["reviews.list", "select * from reviews where product_id = ?1 order by created_at desc, id desc limit 21", ["p"]],
  [
    "admin.orders.list by payment status",
    "select * from orders where id in (select order_id from payments where status = ?1) order by created_at desc, id desc limit 21",
    ["refund_failed"],
  ],
  [
    "cron: stale pending orders",
    "select id from orders where status = 'pending' and created_at < ?1 order by created_at, id limit 50",
    [0],
  ],
  ["cron: unsent outbox rows", "select id from outbox where status = 'pending' and created_at < ?1 order by created_at limit 200", [0]],
  ["cron: old idempotency keys", "delete from idempotency_keys where created_at < ?1", [0]],
  [
    "orders.list next page (row-value cursor)",
    "select id from orders where user_id = ?1 and (created_at, id) < (?2, ?3) order by created_at desc, id desc limit 21",
    ["u", 0, ""],
  ],
  [
    "admin.orders.list by status, next page",
    "select id from orders where status = ?1 and (created_at, id) < (?2, ?3) order by created_at desc, id desc limit 21",
    ["paid", 0, ""],
  ],
  [
    "recommendations: a product's partners",
    "select * from co_purchases cp join products p on p.id = cp.other_id where cp.product_id = ?1 and p.status = 'active' order by cp.together desc, cp.other_id desc limit 6",
    ["p"],
  ],
  [
    "recommendations: its category's best rated",
    "select * from products where category_id = (select category_id from products where id = ?1) and status = 'active' and id <> ?1 order by rating_avg desc, id desc limit 12",
    ["p"],
  ],
  [
    "admin.orders.list by customer email",
    "select o.id from orders o join users u on u.id = o.user_id where u.email >= ?1 and u.email < ?2 order by o.created_at desc, o.id desc limit 21",
    ["ada@", "ada@\u{10FFFF}"],
  ],
  [
    "admin.orders.list by order id prefix",
    "select id from orders where id >= ?1 and id < ?2 order by created_at desc, id desc limit 21",
    ["1a2b", "1a2b\u{10FFFF}"],
  ],
  ["a product's images", "select key, width, height from product_images where product_id = ?1 order by position, id", ["p"]],
  ["order history", "select * from order_events where order_id = ?1 order by created_at, id", ["o"]],
  ["latest payment of an order", "select status from payments where order_id = ?1 order by created_at desc limit 1", ["o"]],
  ["idempotency key", "select order_id from idempotency_keys where user_id = ?1 and key = ?2", ["u", "k"]],
];

describe("query plans", () => {
  it.each(HOT_QUERIES)("%s uses an index", async (_, sql, binds) => {
    const plan = await env.DB.prepare(`explain query plan ${sql}`)
      .bind(...binds)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail);
    // "SCAN x" without an index is a full table scan; "SCAN … USING INDEX" walks an index in order.
    const fullScans = details.filter((d) => /^SCAN /.test(d) && !/USING (COVERING )?INDEX/.test(d));
    expect(fullScans, details.join("\n")).toEqual([]);
  });
});

describe("search query plans", () => {
  // The SQL that ships, built by db/catalog.ts: the FTS5 match must drive the query and each
  // product be found by rowid. Left to choose, SQLite may walk a products index over every active
  // product and probe the index for each one.
  const db = drizzle(env.DB);
  const match = toMatchExpression("steel kettle") ?? "";
  it.each<[string, ListQuery]>([
    ["ranked", { match, order: "relevance", cursor: null, limit: 20 }],
    ["ranked, next page", { match, order: "relevance", cursor: { v: -1.5, id: "42" }, limit: 20 }],
    ["ranked, in a category", { match, category: "c", order: "relevance", cursor: null, limit: 20 }],
    ["sorted by price, next page", { match, order: "price_asc", cursor: { v: 100, id: "x" }, limit: 20 }],
    ["sorted by rating, in a category", { match, category: "c", order: "rating", cursor: null, limit: 20 }],
  ])("%s: reads the FTS5 index first, finds products by rowid", async (_, input) => {
    const query = listQuery(db, input).toSQL();
    const plan = await env.DB.prepare(`explain query plan ${query.sql}`)
      .bind(...query.params)
      .all<{ id: number; parent: number; detail: string }>();
    const details = plan.results.map((r) => r.detail);
    const why = details.join("\n");
    // Ranked without a category, the page is cut inside the index (a co-routine) and only then joined.
    const first = details.find((d) => /^(SCAN|SEARCH) /.test(d));
    expect(first, why).toMatch(/^SCAN products_fts VIRTUAL TABLE INDEX \d+:M/);
    expect(details, why).toContain("SEARCH products USING INTEGER PRIMARY KEY (rowid=?)");
    expect(
      details.filter((d) => /^SCAN (products|categories)\b/.test(d)),
      why,
    ).toEqual([]);
  });
});

describe("back-office query plans", () => {
  // The SQL that ships (db/sales.ts, db/exports.ts, db/admin.ts), as the builder renders it.
  const db = drizzle(env.DB);
  const w = { from: new Date(Date.now() - 30 * 86_400_000), to: new Date() };
  const after = { createdAt: new Date(), id: "x" };
  // A range of created_at, in orders_created_idx or after the status in orders_status_idx.
  const BY_CREATION =
    /SEARCH orders USING (COVERING )?INDEX orders_(created|status)_idx \((status=\? AND )?created_at>\? AND created_at<\?\)/;
  it.each<[string, { toSQL(): { sql: string; params: unknown[] } }, RegExp]>([
    ["sales per day", dailySalesQuery(db, w), BY_CREATION],
    ["sales summary", salesSummaryQuery(db, w), BY_CREATION],
    ["top products", topProductsQuery(db, w, 5), BY_CREATION],
    ["discount usage", discountUsageQuery(db, w), BY_CREATION],
    ["export page", exportPageQuery(db, w, after, 200), BY_CREATION],
    [
      "users by email prefix",
      findUsersByEmail(db, "ada@", 20),
      /SEARCH users USING (COVERING )?INDEX users_email_unique \(email>\? AND email<\?\)/,
    ],
  ])("%s: reads by an index range, never a full scan", async (_, query, expected) => {
    const { sql, params } = query.toSQL();
    const plan = await env.DB.prepare(`explain query plan ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail);
    expect(details.join("\n")).toMatch(expected);
    expect(
      details.filter((d) => /^SCAN /.test(d) && !/USING (COVERING )?INDEX/.test(d)),
      details.join("\n"),
    ).toEqual([]);
  });
});

describe("reviews.list query plan", () => {
  // The SQL that ships: each review's "verified purchase" is read from its author's orders
  // (orders_user_idx) and each order's line by primary key, never from every line of the product.
  const db = drizzle(env.DB);
  it.each<[string, { v: number; id: string } | null]>([
    ["first page", null],
    ["next page", { v: 1, id: "r" }],
  ])("%s: reviews by product index, purchases by the author's orders", async (_, cursor) => {
    const query = listReviewsQuery(db, "p", cursor, 20).toSQL();
    const plan = await env.DB.prepare(`explain query plan ${query.sql}`)
      .bind(...query.params)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail);
    const why = details.join("\n");
    expect(
      details.filter((d) => /^SCAN /.test(d) && !/USING (COVERING )?INDEX/.test(d)),
      why,
    ).toEqual([]);
    expect(why).toMatch(/SEARCH reviews USING INDEX reviews_product_idx/);
    expect(why).toMatch(/SEARCH orders USING INDEX orders_user_idx \(user_id=\?\)/);
    // An order's lines of one product: by (product, order), since a line is keyed by its variant.
    expect(why).toMatch(/SEARCH order_lines USING (COVERING )?INDEX order_lines_product_idx \(product_id=\? AND order_id=\?\)/);
  });
});
