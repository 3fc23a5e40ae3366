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
  await env.DB.prepare(
    "insert into products (id, slug, name, description, category_id, price_cents, stock, status, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  )
    .bind(
      product.id,
      product.slug,
      product.name,
      product.description,
      categoryId,
      product.priceCents,
      product.stock,
      product.status,
      options.createdAt ?? Date.now(),
    )
    .run();
  return product;
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
