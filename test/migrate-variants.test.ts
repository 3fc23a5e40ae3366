// The variants migration on a copy of the demo data as it was before variants: every product,
// cart line and order line still resolves, and no price, stock or total moves.
import { applyD1Migrations, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";

const db = () => env.MIGRATION_DB;
const isBeforeVariants = (name: string) => name < "0011";

async function run(sql: string) {
  const statements = sql
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => db().prepare(line));
  for (let i = 0; i < statements.length; i += 50) await db().batch(statements.slice(i, i + 50));
}

const all = async <T>(sql: string) => (await db().prepare(sql).all<T>()).results;

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** What a customer and the back office see of products, carts and orders, in columns both schemas have. */
async function snapshot() {
  return {
    products: await all<{ id: string; price_cents: number; stock: number; status: string }>(
      "select id, price_cents, stock, status from products order by id",
    ),
    cartLines: await all<{ user_id: string; product_id: string; quantity: number; price: number }>(
      "select l.user_id, l.product_id, l.quantity, l.added_price_cents as price from cart_lines l order by l.user_id, l.product_id",
    ),
    cartTotals: await all<{ user_id: string; total: number }>(
      "select l.user_id, sum(p.price_cents * l.quantity) as total from cart_lines l join products p on p.id = l.product_id group by l.user_id order by l.user_id",
    ),
    orderLines: await all<{ order_id: string; product_id: string; name: string; unit_price_cents: number; quantity: number }>(
      "select order_id, product_id, name, unit_price_cents, quantity from order_lines order by order_id, product_id",
    ),
    orders: await all<{ id: string; total_cents: number; lines_total: number }>(
      "select o.id, o.total_cents, (select sum(unit_price_cents * quantity) from order_lines l where l.order_id = o.id) + o.shipping_cents - o.discount_cents as lines_total from orders o order by o.id",
    ),
    searchKettle: await all<{ rowid: number }>("select rowid from products_fts where products_fts match '\"kettle\"*' order by rowid"),
  };
}

describe("migrating to variants", () => {
  let before: Snapshot;

  beforeAll(async () => {
    await applyD1Migrations(
      db(),
      env.TEST_MIGRATIONS.filter((m) => isBeforeVariants(m.name)),
    );
    await run(env.SEED_BEFORE_VARIANTS);
    // Carts are not in the demo data: two customers' carts as the old schema stored them, one
    // line priced before a price change.
    await run(
      [
        "insert into cart_lines (user_id, product_id, quantity, added_price_cents) select '00000000-0000-4000-8000-000000000002', id, 2, price_cents from products order by id limit 3;",
        "insert into cart_lines (user_id, product_id, quantity, added_price_cents) select '00000000-0000-4000-8000-000000000003', id, 1, price_cents - 100 from products order by id desc limit 2;",
      ].join("\n"),
    );
    before = await snapshot();
    await applyD1Migrations(db(), env.TEST_MIGRATIONS);
  });

  it("starts from real data", () => {
    expect(before.products.length).toBe(500);
    expect(before.orderLines.length).toBeGreaterThan(40);
    expect(before.cartLines.length).toBe(5);
    expect(before.searchKettle.length).toBeGreaterThan(0);
  });

  it("changes no product, cart, order or total a customer sees", async () => {
    expect(await snapshot()).toEqual(before);
  });

  it("gives every product one default variant with its price and stock, and its price as the top of its range", async () => {
    const rows = await all<{ id: string; variants: number; same: number; max_ok: number }>(
      `select p.id, count(v.id) as variants,
              sum(v.id = p.id and v.price_cents = p.price_cents and v.stock = p.stock and v.sku = p.slug and v.status = 'active') as same,
              p.max_price_cents = p.price_cents as max_ok
       from products p left join product_variants v on v.product_id = p.id group by p.id`,
    );
    expect(rows).toHaveLength(500);
    expect(rows.filter((r) => r.variants !== 1 || r.same !== 1 || r.max_ok !== 1)).toEqual([]);
  });

  it("points every cart and order line at its product's default variant", async () => {
    const unresolved = await all(
      `select 'cart' as kind, l.product_id from cart_lines l left join product_variants v on v.id = l.variant_id where v.product_id is not l.product_id
       union all
       select 'order', l.product_id from order_lines l left join product_variants v on v.id = l.variant_id where v.product_id is not l.product_id or l.sku <> v.sku or l.variant_label <> ''`,
    );
    expect(unresolved).toEqual([]);
  });

  it("keeps the search index whole, and finds a product by its SKU", async () => {
    await db().prepare("insert into products_fts(products_fts, rank) values ('integrity-check', 1)").run();
    const [product] = await all<{ rowid: number; slug: string }>(
      "select rowid, slug from products where status = 'active' order by id limit 1",
    );
    if (!product) throw new Error("no product");
    await db()
      .prepare("update product_variants set sku = 'ZX-SPECIAL-77' where product_id = (select id from products where rowid = ?1)")
      .bind(product.rowid)
      .run();
    expect(await all('select rowid from products_fts where products_fts match \'"zx" "special"* "77"\'')).toEqual([
      { rowid: product.rowid },
    ]);
    await db().prepare("insert into products_fts(products_fts, rank) values ('integrity-check', 1)").run();
  });
});
