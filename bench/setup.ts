// What every scenario starts from: the built Worker in a fresh runtime, seeded data, bench
// accounts and products, signed-in users, warm caches and the request paths the scenarios send.
import { randomUUID } from "node:crypto";
import { seedSql } from "../scripts/seed.ts";
import { ok, login, trpc, type AuthResult } from "./calls.ts";
import {
  CHECKOUT_USERS,
  CONNECTIONS,
  EXTRA_PRODUCTS,
  PASSWORD,
  PORT,
  RACE_USERS,
  SECONDS,
  SMOKE,
  WARMUP,
  adoptRuntime,
  log,
} from "./harness.ts";
import type { LoginCpu } from "./report.ts";
import { present } from "./present.ts";
import {
  PERSIST_DIR,
  buildFloorWorker,
  buildWorker,
  d1,
  kv,
  migrateAndSeed,
  startRuntime,
  type BenchD1,
  type BenchKV,
  type BuildInfo,
  type Runtime,
} from "./runtime.ts";
import { argon2idNode, clientBundle, gzip, workerComposition } from "./static.ts";

export interface Product {
  id: string;
  slug: string;
  stock: number;
}

export interface BenchUser {
  id: string;
  email: string;
  password: string;
}

export interface BenchContext {
  startedAt: Date;
  runId: string;
  rt: Runtime;
  db: BenchD1;
  cache: BenchKV;
  worker: BuildInfo;
  client: Awaited<ReturnType<typeof clientBundle>>;
  composition: Awaited<ReturnType<typeof workerComposition>>;
  argon: Awaited<ReturnType<typeof argon2idNode>>;
  /** The seeded active products (not the bench-only ones), by slug. */
  products: Product[];
  /** The product the cached reads ask for. */
  hot: Product;
  /** Three products with stock, the ten queries' product pages and the probes' cart lines. */
  a: Product;
  b: Product;
  c: Product;
  admin: AuthResult;
  alice: AuthResult;
  /** CHECKOUT_USERS for checkout throughput (pool A), then RACE_USERS for the race (pool B). */
  benchUsers: BenchUser[];
  /** Access tokens by email: scenario 8's logins, reused by 9. */
  tokens: Map<string, string>;
  /** Bench-only slugs and searches, each to be read once (scenarios 4, 12, 13). */
  uncachedSlugs: { slug: string }[];
  uncachedSearches: { q: string }[];
  /** Results that are not load runs, for the report. */
  loginCpu: LoginCpu | null;
  checkout: Record<string, unknown> | null;
}

export const getPath = (slug: string) => `/trpc/catalog.get?input=${encodeURIComponent(JSON.stringify({ json: { slug } }))}`;
export const listPath = `/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`;
export const searchPath = `/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ json: { q: "kettle" } }))}`;

/** The ten queries of scenario 7 (a product page and its neighbours). */
export function tenQueries(ctx: Pick<BenchContext, "a" | "b" | "c">): [string, unknown][] {
  const { a, b, c } = ctx;
  return [
    ["catalog.categories", undefined],
    ["catalog.list", {}],
    ["catalog.list", { category: "audio" }],
    ["catalog.list", { sort: "price_asc" }],
    ["catalog.get", { slug: a.slug }],
    ["catalog.get", { slug: b.slug }],
    ["catalog.get", { slug: c.slug }],
    ["catalog.recommendations", { productId: a.id }],
    ["reviews.list", { productId: a.id }],
    ["reviews.list", { productId: b.id }],
  ];
}
export const single = (proc: string, input: unknown) =>
  `/trpc/${proc}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;
export function batchPath(ten: [string, unknown][]) {
  const batchInput = Object.fromEntries(ten.map(([, input], i) => [String(i), input === undefined ? {} : { json: input }]));
  return `/trpc/${ten.map(([p]) => p).join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(batchInput))}`;
}

export async function setUp(): Promise<BenchContext> {
  const startedAt = new Date();
  const runId = randomUUID().slice(0, 8);
  log(`mode ${SMOKE ? "smoke" : "full"}: ${SECONDS} s per scenario after ${WARMUP} s warm-up, ${CONNECTIONS} connections, port ${PORT}`);

  log("building the Worker (wrangler deploy --dry-run --minify) …");
  const worker: BuildInfo = buildWorker(gzip);
  log(
    `Worker bundle: ${(worker.bundleBytes / 1024).toFixed(1)} KiB minified, ${(worker.bundleGzipBytes / 1024).toFixed(1)} KiB gzipped (+ ${(worker.wasmGzipBytes / 1024).toFixed(1)} KiB gzipped wasm)`,
  );
  const client = await clientBundle();
  log(`client bundle: ${(client.bytes / 1024).toFixed(1)} KiB minified, ${(client.gzipBytes / 1024).toFixed(1)} KiB gzipped`);
  const composition = await workerComposition();
  await buildFloorWorker();
  const argon = await argon2idNode(PASSWORD);
  log(`Argon2id in Node (same WASM and parameters): ${argon.msPerHash.toFixed(1)} ms per hash`);

  log(`starting workerd (Miniflare) with fresh state in ${PERSIST_DIR} …`);
  const rt = await startRuntime(PORT);
  adoptRuntime(rt);
  log(`serving on ${rt.url}; workerd pid(s) ${rt.workerdPids().join(", ")}`);
  await migrateAndSeed(rt, seedSql);
  const db = await d1(rt);
  const cache = await kv(rt);

  // Bench accounts, inserted like the seed does (one precomputed Argon2id hash for all).
  const nUsers = CHECKOUT_USERS + RACE_USERS;
  const benchUsers = Array.from({ length: nUsers }, (_, i) => ({ id: randomUUID(), email: `bench${i}@bench.local`, password: PASSWORD }));
  for (let i = 0; i < benchUsers.length; i += 100) {
    await db.batch(
      benchUsers.slice(i, i + 100).map((u, j) =>
        db
          .prepare("insert into users (id, email, name, password_hash, role) values (?1, ?2, ?3, ?4, 'customer')")
          // The name says which pool a user is in: A (checkout throughput) or B (the race).
          .bind(u.id, u.email, `Bench ${i + j < CHECKOUT_USERS ? "A" : "B"} ${i + j}`, argon.phc),
      ),
    );
  }
  // Scenario 4's own products: enough distinct slugs that no read in a run finds its slug cached.
  // In their own category, oldest and dearest, so no list the other scenarios read shows them.
  await db.batch([
    db.prepare("insert into categories (id, slug, name) values ('bench-category', 'bench', 'Bench')"),
    db
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
       insert into products (id, slug, name, description, category_id, price_cents, stock, created_at)
       select 'bench-product-' || i, 'bench-item-' || i, 'Bench Item ' || i, 'A product that exists to be read once.', 'bench-category', 99999999, 100, 1 from n`,
      )
      .bind(EXTRA_PRODUCTS),
  ]);
  const uncachedSlugs = Array.from({ length: EXTRA_PRODUCTS }, (_, i) => ({ slug: `bench-item-${i + 1}` }));
  // Scenario 12's searches, each sent once so each is a cache miss that runs the FTS5 query: a word
  // every bench product has and a rare one ("item 1234" matches Bench Item 1234 and 12340–12349,
  // at most 11 products: the numbers stop at a tenth of the largest).
  const uncachedSearches = Array.from({ length: EXTRA_PRODUCTS - Math.floor(EXTRA_PRODUCTS / 10) }, (_, i) => ({
    q: `item ${EXTRA_PRODUCTS - i}`,
  }));
  const products = (
    await db
      // Products sold as one variant: the scenarios set a product's stock and add it without a variant id.
      .prepare(
        "select id, slug, stock from products where status = 'active' and category_id <> 'bench-category' and (select count(*) from product_variants v where v.product_id = products.id) = 1 order by slug",
      )
      .all<Product>()
  ).results;
  const hot = present(products.find((p) => p.stock > 20) ?? products[0], "an active product");
  log(`${products.length} active products; ${benchUsers.length} bench users; hot product ${hot.slug}`);

  const admin = await login(rt, "admin@storefront.local", "Admin-Storefront-1");
  const alice = await login(rt, "alice@storefront.local", "Alice-Storefront-1");
  for (const p of products.filter((p) => p.stock > 20).slice(0, 3)) {
    await ok(trpc(rt, "cart.addItem", { productId: p.id, quantity: 1 }, { token: alice.accessToken, mutation: true }), "alice addItem");
  }
  const [a, b, c] = products.filter((p) => p.stock > 20);
  if (!a || !b || !c) throw new Error("bench: the seed has fewer than three products with more than 20 in stock");

  return {
    startedAt,
    runId,
    rt,
    db,
    cache,
    worker,
    client,
    composition,
    argon,
    products,
    hot,
    a,
    b,
    c,
    admin,
    alice,
    benchUsers,
    tokens: new Map(),
    uncachedSlugs,
    uncachedSearches,
    loginCpu: null,
    checkout: null,
  };
}
