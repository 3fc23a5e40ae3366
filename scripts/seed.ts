// Demo data for local development, written as idempotent SQL (fixed ids, INSERT OR IGNORE),
// so running `npm run dev` twice never duplicates a row. Local only: the README gives these
// credentials, so they must never be seeded into a deployed database.
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import setupWasm from "argon2id/lib/setup.js";
import { CURRENT_PARAMS, SALT_BYTES, formatPhc } from "../domain/phc.ts";
import { demoShippingSql } from "./demo-shipping.ts";

export const DEMO_USERS = [
  {
    id: "00000000-0000-4000-8000-000000000001",
    email: "admin@storefront.local",
    name: "Demo Admin",
    role: "admin",
    password: "Admin-Storefront-1",
  },
  {
    id: "00000000-0000-4000-8000-000000000002",
    email: "alice@storefront.local",
    name: "Alice Example",
    role: "customer",
    password: "Alice-Storefront-1",
  },
  {
    id: "00000000-0000-4000-8000-000000000003",
    email: "bob@storefront.local",
    name: "Bob Example",
    role: "customer",
    password: "Bob-Storefront-1",
  },
] as const;

const require = createRequire(import.meta.url);
const wasm = (file: string) => (imports: WebAssembly.Imports) =>
  WebAssembly.instantiate(readFileSync(require.resolve(`argon2id/dist/${file}`)), imports);

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

const CATEGORIES = [
  ["audio", "Audio", ["Headphones", "Speaker", "Earbuds", "Soundbar", "Turntable"]],
  ["books", "Books", ["Novel", "Cookbook", "Field Guide", "Atlas", "Poetry Collection"]],
  ["garden", "Garden", ["Trowel", "Planter", "Hose", "Pruner", "Seed Kit"]],
  ["kitchen", "Kitchen", ["Skillet", "Chef Knife", "Kettle", "Cutting Board", "Dutch Oven"]],
  ["outdoor", "Outdoor", ["Tent", "Backpack", "Lantern", "Sleeping Bag", "Water Bottle"]],
  ["office", "Office", ["Desk Lamp", "Notebook", "Fountain Pen", "Monitor Stand", "Desk Mat"]],
  ["toys", "Toys", ["Puzzle", "Building Set", "Kite", "Board Game", "Plush Bear"]],
  ["apparel", "Apparel", ["Rain Jacket", "Wool Socks", "Beanie", "Hoodie", "Scarf"]],
  ["fitness", "Fitness", ["Yoga Mat", "Kettlebell", "Jump Rope", "Foam Roller", "Resistance Band"]],
  ["home", "Home", ["Throw Blanket", "Candle", "Vase", "Wall Clock", "Cushion"]],
] as const;
const ADJECTIVES = ["Classic", "Compact", "Deluxe", "Everyday", "Heritage", "Modern", "Nordic", "Pro", "Rustic", "Studio"];

const DEMO_CUSTOMERS = 8;
const PRODUCTS_PER_CATEGORY = 50;

/** A small deterministic generator, so every run writes the same demo rows. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

const uuid = (prefix: number, n: number) => `00000000-0000-4000-${String(prefix).padStart(4, "0")}-${String(n).padStart(12, "0")}`;

export async function seedSql(): Promise<string> {
  const argon2id = await setupWasm(wasm("simd.wasm"), wasm("no-simd.wasm"));
  const phc = (password: string) => {
    const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
    return formatPhc(CURRENT_PARAMS, salt, argon2id({ password: new TextEncoder().encode(password), salt, ...CURRENT_PARAMS }));
  };
  const values = (...v: (string | number | null)[]) =>
    v.map((x) => (x === null ? "NULL" : typeof x === "number" ? String(x) : quote(x))).join(", ");
  const lines: string[] = [];
  const customers: string[] = [];
  for (const u of DEMO_USERS) {
    lines.push(
      // Demo accounts are verified: their addresses are ours, and no mail could reach them.
      `INSERT OR IGNORE INTO users (id, email, name, password_hash, role, email_verified) VALUES (${values(u.id, u.email, u.name, phc(u.password), u.role, 1)});`,
    );
    if (u.role === "customer") customers.push(u.id);
  }
  // Extra shoppers who only exist to give recommendations some purchase history.
  const shopperHash = phc(crypto.randomUUID());
  for (let i = 1; i <= DEMO_CUSTOMERS; i++) {
    const id = uuid(9000, i);
    customers.push(id);
    lines.push(
      `INSERT OR IGNORE INTO users (id, email, name, password_hash, email_verified) VALUES (${values(id, `shopper${i}@storefront.local`, `Shopper ${i}`, shopperHash, 1)});`,
    );
  }

  const random = rng(42);
  const products: { id: string; slug: string; name: string; price: number; category: number }[] = [];
  const baseTime = Date.UTC(2026, 0, 1);
  CATEGORIES.forEach(([slug, name, nouns], c) => {
    const categoryId = uuid(1000, c + 1);
    lines.push(`INSERT OR IGNORE INTO categories (id, slug, name) VALUES (${values(categoryId, slug, name)});`);
    for (let i = 0; i < PRODUCTS_PER_CATEGORY; i++) {
      const n = c * PRODUCTS_PER_CATEGORY + i + 1;
      const productName = `${ADJECTIVES[i % ADJECTIVES.length]} ${nouns[Math.floor(i / ADJECTIVES.length) % nouns.length]}`;
      const id = uuid(2000, n);
      const price = 499 + Math.floor(random() * 300) * 50;
      const stock = i % 17 === 0 ? 0 : i % 7 === 0 ? 3 : 20 + Math.floor(random() * 200);
      const description = `A ${productName.toLowerCase()} from our ${name.toLowerCase()} range, built to last and easy to love.`;
      const productSlug = `${slug}-${productName.toLowerCase().replace(/\s+/g, "-")}-${n}`;
      products.push({ id, slug: productSlug, name: productName, price, category: c });
      lines.push(
        `INSERT OR IGNORE INTO products (id, slug, name, description, category_id, price_cents, max_price_cents, stock, created_at) VALUES (${values(
          id,
          productSlug,
          productName,
          description,
          categoryId,
          price,
          price,
          stock,
          baseTime + n * 3_600_000,
        )});`,
        // Sold as one variant: the default one, with the product's id and its slug as the SKU.
        `INSERT OR IGNORE INTO product_variants (id, product_id, sku, price_cents, stock) VALUES (${values(id, id, productSlug, price, stock)});`,
      );
    }
  });

  lines.push(...apparelWithVariants(values, baseTime));

  lines.push(
    `INSERT OR IGNORE INTO discounts (id, code, kind, value, min_subtotal_cents, one_per_customer) VALUES (${values(uuid(3000, 1), "WELCOME10", "percent", 10, null, 1)});`,
    `INSERT OR IGNORE INTO discounts (id, code, kind, value, min_subtotal_cents, one_per_customer) VALUES (${values(uuid(3000, 2), "SAVE5", "fixed", 500, 2500, 0)});`,
    `INSERT OR IGNORE INTO discounts (id, code, kind, value, max_redemptions, ends_at) VALUES (${values(uuid(3000, 3), "FLASH25", "percent", 25, 100, Date.UTC(2027, 11, 31))});`,
  );

  // Past orders: shoppers tend to buy neighbouring products of one category together.
  let orderNo = 0;
  const address = JSON.stringify({ name: "Demo Shopper", line1: "1 Demo Street", city: "Springfield", postalCode: "12345", country: "US" });
  for (const customer of customers) {
    for (let k = 0; k < 5; k++) {
      orderNo++;
      // A random product and those of its next two that share its category; the first is reviewed.
      const first = Math.floor(random() * products.length);
      const [reviewed, ...next] = products.slice(first, first + 3);
      if (!reviewed) throw new Error("seed: no products to order");
      const picked = [reviewed, ...next.filter((p) => p.category === reviewed.category)];
      const subtotal = picked.reduce((sum, p) => sum + p.price, 0);
      const shipping = subtotal >= 5000 ? 0 : 499;
      const orderId = uuid(4000, orderNo);
      const status = k % 3 === 0 ? "delivered" : k % 3 === 1 ? "shipped" : "paid";
      lines.push(
        `INSERT OR IGNORE INTO orders (id, user_id, status, subtotal_cents, discount_cents, shipping_cents, total_cents, shipping_address, created_at) VALUES (${values(
          orderId,
          customer,
          status,
          subtotal,
          0,
          shipping,
          subtotal + shipping,
          address,
          baseTime + orderNo * 7_200_000,
        )});`,
      );
      for (const p of picked) {
        lines.push(
          `INSERT OR IGNORE INTO order_lines (order_id, product_id, variant_id, name, sku, unit_price_cents, quantity) VALUES (${values(orderId, p.id, p.id, p.name, p.slug, p.price, 1)});`,
        );
      }
      lines.push(
        `INSERT OR IGNORE INTO payments (id, order_id, provider, provider_ref, amount_cents, status) VALUES (${values(uuid(5000, orderNo), orderId, "test", `ch_seed_${orderNo}`, subtotal + shipping, "succeeded")});`,
      );
      const rating = 3 + Math.floor(random() * 3);
      lines.push(
        `INSERT OR IGNORE INTO reviews (id, product_id, user_id, rating, body) VALUES (${values(uuid(6000, orderNo), reviewed.id, customer, rating, `Solid ${reviewed.name.toLowerCase()}. Would buy again.`)});`,
      );
    }
  }
  // Shipping zones (EU, UK, US; the default zone comes with the migrations) and demo tax rates.
  lines.push(...demoShippingSql());
  // Ratings are derived from the reviews, so re-running the seed keeps them right.
  lines.push(
    `UPDATE products SET rating_count = (SELECT count(*) FROM reviews r WHERE r.product_id = products.id), rating_sum = coalesce((SELECT sum(rating) FROM reviews r WHERE r.product_id = products.id), 0), rating_avg = coalesce((SELECT avg(rating) FROM reviews r WHERE r.product_id = products.id), 0);`,
  );
  return lines.join("\n") + "\n";
}

/** The demo T-shirt's variants: Size × Colour, L / Red not made, S / Blue sold out, L / Blue low. */
export const DEMO_TEE = {
  id: uuid(2000, 9001),
  slug: "apparel-organic-cotton-tee",
  name: "Organic Cotton Tee",
  options: [
    ["Size", ["S", "M", "L"]],
    ["Colour", ["Red", "Blue"]],
  ],
  variants: [
    { n: 1, size: "S", colour: "Red", price: 1900, stock: 12 },
    { n: 2, size: "S", colour: "Blue", price: 1900, stock: 0 },
    { n: 3, size: "M", colour: "Red", price: 2000, stock: 8 },
    { n: 4, size: "M", colour: "Blue", price: 2000, stock: 25 },
    { n: 5, size: "L", colour: "Blue", price: 2200, stock: 4 },
  ],
} as const;

function apparelWithVariants(values: (...v: (string | number | null)[]) => string, baseTime: number): string[] {
  const t = DEMO_TEE;
  const prices = t.variants.map((v) => v.price);
  const stock = t.variants.reduce((sum, v) => sum + v.stock, 0);
  return [
    // Summary columns as the triggers keep them: the lowest price, the highest, the total stock.
    `INSERT OR IGNORE INTO products (id, slug, name, description, category_id, price_cents, max_price_cents, stock, created_at) VALUES (${values(
      t.id,
      t.slug,
      t.name,
      "A soft organic cotton T-shirt in three sizes and two colours.",
      uuid(1000, 8),
      Math.min(...prices),
      Math.max(...prices),
      stock,
      // The oldest product: lists newest first show the generated catalog as before.
      baseTime,
    )});`,
    ...t.options.map(
      ([name, optionValues], position) =>
        `INSERT OR IGNORE INTO product_options (product_id, position, name, "values") VALUES (${values(t.id, position, name, JSON.stringify(optionValues))});`,
    ),
    ...t.variants.map(
      (v) =>
        `INSERT OR IGNORE INTO product_variants (id, product_id, sku, option1, option2, price_cents, stock, position) VALUES (${values(
          uuid(2100, v.n),
          t.id,
          `TEE-${v.size}-${v.colour.toUpperCase()}`,
          v.size,
          v.colour,
          v.price,
          v.stock,
          v.n,
        )});`,
    ),
  ];
}

export async function writeSeedSql(path = ".wrangler/seed.sql"): Promise<string> {
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(path, await seedSql());
  return path;
}
