// `node bench/search-scale.ts`: what one search costs on a catalog of 200,000 products, before
// (substring LIKE) and after (FTS5). It runs db/catalog.ts's own query (bundled with esbuild) on an
// in-memory local D1 in workerd (Miniflare), migrated with migrations/, for the rows read and the
// plan D1 reports; and the same SQL on the same data in Node's SQLite for the time, since local D1
// reports whole milliseconds and a call from Node costs ~15 ms of transport. Nothing here is a
// test: it prints a table for BENCHMARKS.md.
//
// Environment: SCALE_PRODUCTS (200000), SCALE_REPEATS (9, the median is reported).
import type { SQLInputValue } from "node:sqlite";
import { loadAppModule, openScaleDatabase } from "./scale-db.ts";

const PRODUCTS = Number(process.env.SCALE_PRODUCTS ?? 200_000);
const REPEATS = Number(process.env.SCALE_REPEATS ?? 9);

interface Catalog {
  listQuery(
    db: unknown,
    input: { match?: string; category?: string; order: string; cursor: null; limit: number },
  ): { toSQL(): { sql: string; params: unknown[] } };
  toMatchExpression(text: string): string | null;
  drizzle(d1: unknown): unknown;
}

// The application's query builder, bundled for Node (the app's imports carry no extensions) and
// loaded from memory, so a failed run leaves nothing behind.
const catalog = await loadAppModule<Catalog>(
  `export { listQuery } from "../db/catalog"; export { toMatchExpression } from "../domain/search"; export { drizzle } from "drizzle-orm/d1";`,
);

const { mf, d1, local, both } = await openScaleDatabase("search-scale");
try {
  // 200,000 products in 10 categories, 1 in 20 archived. A name is adjective + material + noun, the
  // description repeats material and noun: "steel" is in a fifth of them (40,000), "zeppelin" in
  // five, "xylophone" in none.
  const t0 = performance.now();
  await both(
    "insert into categories (id, slug, name) select 'c' || value, 'cat-' || value, 'Category ' || value from json_each('[0,1,2,3,4,5,6,7,8,9]')",
  );
  const json = (words: string[]) => JSON.stringify(words);
  const adjectives = json(["Classic", "Compact", "Deluxe", "Everyday", "Heritage", "Modern", "Nordic", "Pro", "Rustic", "Studio"]);
  const materials = json(["steel", "oak", "brass", "linen", "ceramic"]);
  const nouns = json([
    "Kettle",
    "Lamp",
    "Chair",
    "Table",
    "Mug",
    "Bowl",
    "Vase",
    "Clock",
    "Shelf",
    "Stool",
    "Knife",
    "Pan",
    "Jug",
    "Tray",
    "Rack",
    "Hook",
  ]);
  const CHUNK = 20_000;
  for (let from = 1; from <= PRODUCTS; from += CHUNK) {
    await both(
      `with recursive n(i) as (select cast(?1 as integer) union all select i + 1 from n where i < cast(?2 as integer))
         insert into products (id, slug, name, description, category_id, price_cents, stock, status, created_at)
         select 'p' || i, 'product-' || i,
                json_extract(?3, '$[' || (i % 10) || ']') || ' ' || upper(substr(m, 1, 1)) || substr(m, 2) || ' ' || noun ||
                  case when i in (777, 55555, 123456, 150001, 199999) then ' Zeppelin' else '' end,
                'A ' || m || ' ' || lower(noun) || ' for every day, from our range ' || (i % 97) || '.',
                'c' || (i % 10), 499 + (i * 7919) % 30000, 10 + i % 50,
                case when i % 20 = 0 then 'archived' else 'active' end, 1700000000000 + i * 1000
         from (select i, json_extract(?4, '$[' || ((i / 10) % 5) || ']') as m, json_extract(?5, '$[' || ((i / 50) % 16) || ']') as noun from n)`,
      [from, Math.min(PRODUCTS, from + CHUNK - 1), adjectives, materials, nouns],
    );
  }
  const count = (await d1.prepare("select count(*) as n, sum(status = 'active') as active from products").bind().all()).results[0] as {
    n: number;
    active: number;
  };
  console.log(`${count.n} products (${count.active} active) with their FTS5 index in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const db = catalog.drizzle(d1);
  const shipped = (q: string, more: { category?: string; order?: string } = {}) =>
    catalog
      .listQuery(db, {
        match: catalog.toMatchExpression(q) ?? "",
        order: more.order ?? "relevance",
        category: more.category,
        cursor: null,
        limit: 20,
      })
      .toSQL();
  // The query as it was before FTS5 (newest first, a substring LIKE on name and description).
  const like = (q: string) => ({
    sql: `select p.id from products p join categories c on c.id = p.category_id
          where p.status = 'active' and (p.name like ?1 escape '\\' or p.description like ?1 escape '\\')
          order by p.created_at desc, p.id desc limit 21`,
    params: [`%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`],
  });
  // The shipped query with the join order left to SQLite.
  const unforced = (q: string, more: { category?: string; order?: string } = {}) => {
    const { sql, params } = shipped(q, more);
    return { sql: sql.replace(/cross join/i, "join"), params };
  };

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const measure = async ({ sql, params }: { sql: string; params: unknown[] }) => {
    const d1Runs: { d1Ms: number; rows: number; results: number }[] = [];
    for (let i = 0; i <= REPEATS; i++) {
      const r = await d1
        .prepare(sql)
        .bind(...params)
        .all();
      if (i > 0) d1Runs.push({ d1Ms: r.meta.duration ?? NaN, rows: r.meta.rows_read ?? NaN, results: r.results.length });
    }
    const statement = local.prepare(sql);
    const localMs: number[] = [];
    for (let i = 0; i <= REPEATS; i++) {
      const t = performance.now();
      statement.all(...(params as SQLInputValue[]));
      if (i > 0) localMs.push(performance.now() - t);
    }
    return {
      rowsRead: median(d1Runs.map((r) => r.rows)),
      d1Ms: median(d1Runs.map((r) => r.d1Ms)),
      localMs: median(localMs),
      results: d1Runs[0]?.results ?? 0,
    };
  };
  const plan = async ({ sql, params }: { sql: string; params: unknown[] }) =>
    (
      (
        await d1
          .prepare(`explain query plan ${sql}`)
          .bind(...params)
          .all()
      ).results as { detail: string }[]
    )
      .map((r) => r.detail)
      .join("; ");

  const cases: [string, { sql: string; params: unknown[] }][] = [];
  for (const q of ["zeppelin", "xylophone", "steel", "steel kettle", "ste", "st"]) {
    cases.push([`"${q}": LIKE (before)`, like(q)]);
    cases.push([`"${q}": FTS5, shipped`, shipped(q)]);
  }
  cases.push([`"zeppelin": FTS5 in one category, join order left to SQLite`, unforced("zeppelin", { category: "cat-7" })]);
  cases.push([`"zeppelin": FTS5 in one category, shipped (cross join)`, shipped("zeppelin", { category: "cat-7" })]);
  cases.push([`"steel": FTS5 in one category, shipped`, shipped("steel", { category: "cat-3" })]);
  for (const q of ["zeppelin", "steel"]) {
    cases.push([`"${q}": FTS5 sorted newest first, join order left to SQLite`, unforced(q, { order: "newest" })]);
    cases.push([`"${q}": FTS5 sorted newest first, shipped (cross join)`, shipped(q, { order: "newest" })]);
  }
  cases.push([`"steel": FTS5 sorted by price, shipped`, shipped("steel", { order: "price_asc" })]);

  const rows: string[] = ["| search | rows read (D1) | D1 ms | SQLite ms | results | plan (D1) |", "|---|---:|---:|---:|---:|---|"];
  const report = async (label: string, query: { sql: string; params: unknown[] }) => {
    const m = await measure(query);
    const line = `| ${label} | ${m.rowsRead} | ${m.d1Ms} | ${m.localMs.toFixed(2)} | ${m.results} | ${await plan(query)} |`;
    rows.push(line);
    console.log(line);
  };
  for (const [label, query] of cases) await report(label, query);
  await both("pragma optimize");
  rows.push("| *after `PRAGMA optimize`* | | | | | |");
  await report(`"zeppelin": FTS5 in one category, join order left to SQLite`, unforced("zeppelin", { category: "cat-7" }));
  await report(`"zeppelin": FTS5 sorted newest first, join order left to SQLite`, unforced("zeppelin", { order: "newest" }));
  console.log(`\n${rows.join("\n")}`);
} finally {
  await mf.dispose();
}
