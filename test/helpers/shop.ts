// Shop fixtures: each test creates its own category, products, discounts and admin.
import { env } from "cloudflare:test";
import { signedUpUser } from "./client";

const uid = () => crypto.randomUUID();
const slugOf = (tag: string) => `${tag}-${uid().slice(0, 8)}`;

export async function createCategory(name = "Test Category") {
  const category = { id: uid(), slug: slugOf("cat"), name };
  await env.DB.prepare("insert into categories (id, slug, name) values (?1, ?2, ?3)").bind(category.id, category.slug, category.name).run();
  return category;
}

export async function createProduct(
  options: {
    categoryId?: string;
    priceCents?: number;
    stock?: number;
    name?: string;
    description?: string;
    status?: "active" | "archived";
    createdAt?: number;
  } = {},
) {
  const categoryId = options.categoryId ?? (await createCategory()).id;
  const product = {
    id: uid(),
    slug: slugOf("product"),
    name: options.name ?? `Product ${uid().slice(0, 6)}`,
    description: options.description ?? "A thing for testing.",
    categoryId,
    priceCents: options.priceCents ?? 1000,
    stock: options.stock ?? 10,
    status: options.status ?? "active",
  };
  // The product and its default variant (its own id, SKU its slug), as admin.products.create makes them.
  await env.DB.batch([
    env.DB.prepare(
      "insert into products (id, slug, name, description, category_id, price_cents, max_price_cents, stock, status, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9)",
    ).bind(
      product.id,
      product.slug,
      product.name,
      product.description,
      categoryId,
      product.priceCents,
      product.stock,
      product.status,
      options.createdAt ?? Date.now(),
    ),
    env.DB.prepare("insert into product_variants (id, product_id, sku, price_cents, stock) values (?1, ?1, ?2, ?3, ?4)").bind(
      product.id,
      product.slug,
      product.priceCents,
      product.stock,
    ),
  ]);
  return product;
}

/**
 * Sets the stock (and optionally the price) of a product sold as one variant, or of one variant:
 * where they live; the triggers carry them to the product's summary.
 */
export async function setVariant(variantId: string, fields: { stock?: number; priceCents?: number; status?: "active" | "archived" }) {
  await env.DB.prepare(
    "update product_variants set stock = coalesce(?2, stock), price_cents = coalesce(?3, price_cents), status = coalesce(?4, status) where id = ?1",
  )
    .bind(variantId, fields.stock ?? null, fields.priceCents ?? null, fields.status ?? null)
    .run();
}

/** A product with options Size (S, M) × Colour (Red, Blue): four variants, each its own price and stock. */
export async function createProductWithVariants(
  options: { stock?: number; categoryId?: string; variants?: { size: string; colour: string; priceCents: number; stock?: number }[] } = {},
) {
  const product = await createProduct({ ...(options.categoryId ? { categoryId: options.categoryId } : {}), priceCents: 1000, stock: 0 });
  const specs = options.variants ?? [
    { size: "S", colour: "Red", priceCents: 1000 },
    { size: "S", colour: "Blue", priceCents: 1100 },
    { size: "M", colour: "Red", priceCents: 1200 },
    { size: "M", colour: "Blue", priceCents: 1300 },
  ];
  const variants = specs.map((v, i) => ({
    id: uid(),
    sku: `SKU-${uid().slice(0, 8)}-${v.size}-${v.colour}`.toUpperCase(),
    position: i,
    ...v,
  }));
  const sizes = [...new Set(specs.map((v) => v.size))];
  const colours = [...new Set(specs.map((v) => v.colour))];
  await env.DB.batch([
    // The default variant gives way to the options' combinations.
    env.DB.prepare("delete from product_variants where id = ?1").bind(product.id),
    env.DB.prepare(
      "insert into product_options (product_id, position, name, \"values\") values (?1, 0, 'Size', ?2), (?1, 1, 'Colour', ?3)",
    ).bind(product.id, JSON.stringify(sizes), JSON.stringify(colours)),
    ...variants.map((v) =>
      env.DB.prepare(
        "insert into product_variants (id, product_id, sku, option1, option2, price_cents, stock, position) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      ).bind(v.id, product.id, v.sku, v.size, v.colour, v.priceCents, v.stock ?? options.stock ?? 5, v.position),
    ),
  ]);
  return { ...product, variants };
}

export async function createDiscount(
  options: {
    kind?: "percent" | "fixed";
    value?: number;
    minSubtotalCents?: number;
    startsAt?: number;
    endsAt?: number;
    maxRedemptions?: number;
    onePerCustomer?: boolean;
    active?: boolean;
  } = {},
) {
  const discount = { id: uid(), code: `CODE${uid().slice(0, 8).toUpperCase()}` };
  await env.DB.prepare(
    `insert into discounts (id, code, kind, value, min_subtotal_cents, starts_at, ends_at, max_redemptions, one_per_customer, active)
     values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
  )
    .bind(
      discount.id,
      discount.code,
      options.kind ?? "percent",
      options.value ?? 10,
      options.minSubtotalCents ?? null,
      options.startsAt ?? null,
      options.endsAt ?? null,
      options.maxRedemptions ?? null,
      options.onePerCustomer ? 1 : 0,
      options.active === false ? 0 : 1,
    )
    .run();
  return discount;
}

/** An admin (the only way to become the first admin is the database). */
export const signedUpAdmin = () => signedUpUser({ role: "admin" });

export const ADDRESS = { name: "Ada Lovelace", line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" };

export const stockOf = async (productId: string) =>
  (await env.DB.prepare("select stock from products where id = ?1").bind(productId).first<{ stock: number }>())?.stock;

export const variantStockOf = async (variantId: string) =>
  (await env.DB.prepare("select stock from product_variants where id = ?1").bind(variantId).first<{ stock: number }>())?.stock;

export const newKey = () => `key-${uid()}`;

/** A new customer's order of one product, placed with the test provider's good card: paid. */
export async function placePaidOrder(product: { stock?: number; priceCents?: number } = {}, quantity = 1) {
  const item = await createProduct({ stock: 10, priceCents: 1500, ...product });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: item.id, quantity });
  const order = await shopper.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_visa",
  });
  return { ...shopper, product: item, order };
}
