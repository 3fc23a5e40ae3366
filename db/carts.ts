// Cart queries. Each mutation and the read of the resulting cart go to D1 as one batch, so a
// cart call costs one round trip.
import { and, asc, count, eq, exists, or, sql } from "drizzle-orm";
import type { ShippingOption } from "../domain/shipping";
import type { Db } from "./client";
import { compiled, runBatch, type BoundResult } from "./compiled";
import { cartLines, carts, discountRedemptions, discounts, nowMs, products, productVariants } from "./schema";
import { countryTaxRatesQuery, toShippingOptions, zoneOptionsQuery, type TaxRateRow, type ZoneOptionRow } from "./shipping";

export const MAX_CART_LINES = 50;

const userIdParam = sql.placeholder("userId");

/** A user's cart lines with their variants' current price, stock and status, oldest first. */
const cartLinesCompiled = compiled((db) =>
  db
    .select({
      productId: cartLines.productId,
      variantId: cartLines.variantId,
      slug: products.slug,
      name: products.name,
      sku: productVariants.sku,
      option1: productVariants.option1,
      option2: productVariants.option2,
      option3: productVariants.option3,
      weightGrams: productVariants.weightGrams,
      quantity: cartLines.quantity,
      addedPriceCents: cartLines.addedPriceCents,
      unitPriceCents: sql<number>`${productVariants.priceCents}`.as("variant_price_cents"),
      currency: products.currency,
      stock: sql<number>`${productVariants.stock}`.as("variant_stock"),
      // On sale only while both the product and the variant are.
      status: sql<
        "active" | "archived"
      >`case when ${products.status} = 'active' and ${productVariants.status} = 'active' then 'active' else 'archived' end`.as(
        "line_status",
      ),
    })
    .from(cartLines)
    .innerJoin(products, eq(products.id, cartLines.productId))
    .innerJoin(productVariants, eq(productVariants.id, cartLines.variantId))
    .where(eq(cartLines.userId, userIdParam))
    .orderBy(asc(cartLines.createdAt), asc(cartLines.variantId))
    .prepare(),
);
export const cartLinesQuery = (db: Db, userId: string) => cartLinesCompiled(db, { userId });

// Every column name distinct: D1 returns a batch's rows as objects keyed by column name.
const discountFields = (db: Db) => ({
  id: discounts.id,
  code: discounts.code,
  kind: discounts.kind,
  value: discounts.value,
  minSubtotalCents: discounts.minSubtotalCents,
  startsAt: discounts.startsAt,
  endsAt: discounts.endsAt,
  maxRedemptions: discounts.maxRedemptions,
  redemptions: discounts.redemptions,
  onePerCustomer: discounts.onePerCustomer,
  active: discounts.active,
  usedByCustomer: sql<number>`${db
    .select({ n: count() })
    .from(discountRedemptions)
    .where(and(eq(discountRedemptions.discountId, discounts.id), eq(discountRedemptions.userId, userIdParam)))}`
    .mapWith(Number)
    .as("used_by_customer"),
});

/** The discount on a user's cart (if any), with how often this user has redeemed it. */
const cartDiscountCompiled = compiled((db) =>
  db
    .select(discountFields(db))
    .from(carts)
    .innerJoin(discounts, eq(discounts.code, carts.discountCode))
    .where(eq(carts.userId, userIdParam))
    .prepare(),
);
export const cartDiscountQuery = (db: Db, userId: string) => cartDiscountCompiled(db, { userId });

/** The discount a code names (if any), with how often this user has redeemed it. */
const discountForUserCompiled = compiled((db) =>
  db
    .select(discountFields(db))
    .from(discounts)
    .where(eq(discounts.code, sql.placeholder("code")))
    .prepare(),
);

export type CartLineRow = BoundResult<ReturnType<typeof cartLinesQuery>>[number];
export type CartDiscountRow = BoundResult<ReturnType<typeof cartDiscountQuery>>[number];

export interface CartRows {
  lines: CartLineRow[];
  discount: CartDiscountRow | null;
  /** The destination's shipping options and tax rates (db/shipping.ts); no destination: the default zone's. */
  destination: { options: ShippingOption[]; taxRates: TaxRateRow[] };
}

/**
 * The reads every cart answer batches after its write: lines, discount, and the destination's
 * shipping options and tax rates (a null country: the default zone, no tax).
 */
export const cartReads = (db: Db, userId: string, country: string | null = null) =>
  [cartLinesQuery(db, userId), cartDiscountQuery(db, userId), zoneOptionsQuery(db, country), countryTaxRatesQuery(db, country)] as const;

/** The cart from the rows of its reads (at most one discount row). */
export function toCartRows(lines: CartLineRow[], discounts: CartDiscountRow[], options: ZoneOptionRow[], taxRates: TaxRateRow[]): CartRows {
  const [discount] = discounts;
  return { lines, discount: discount ?? null, destination: { options: toShippingOptions(options), taxRates } };
}

export async function readCart(db: Db, userId: string, country: string | null = null): Promise<CartRows> {
  const [lines, discount, options, rates] = await runBatch(db, cartReads(db, userId, country));
  return toCartRows(lines, discount, options, rates);
}

/**
 * Adds to a variant's line; `added` is false when the variant is not on sale, is not this
 * product's, or the cart is full. Without a variant id the product's only active variant is meant:
 * a product with several adds nothing.
 */
export async function addLine(db: Db, userId: string, productId: string, variantId: string | null, quantity: number) {
  const [, added, lines, discount, options, rates] = await runBatch(db, [
    ensureCart(db, userId),
    addLineCompiled(db, { userId, productId, variantId, quantity }),
    ...cartReads(db, userId),
  ]);
  return { added: added.meta.changes > 0, cart: toCartRows(lines, discount, options, rates) };
}

/**
 * Sets a line's quantity; `changed` is false when the product (or that variant of it) is not in
 * the cart. Without a variant id every line of the product is meant.
 */
export async function setLineQuantity(db: Db, userId: string, productId: string, variantId: string | null, quantity: number) {
  const [changed, lines, discount, options, rates] = await runBatch(db, [
    setQuantityCompiled(db, { userId, productId, variantId, quantity }),
    ...cartReads(db, userId),
  ]);
  return { changed: changed.meta.changes > 0, cart: toCartRows(lines, discount, options, rates) };
}

export async function removeLine(db: Db, userId: string, productId: string, variantId: string | null): Promise<CartRows> {
  const [, lines, discount, options, rates] = await runBatch(db, [
    removeLineCompiled(db, { userId, productId, variantId }),
    ...cartReads(db, userId),
  ]);
  return toCartRows(lines, discount, options, rates);
}

/** Applies (or with null, removes) the cart's discount code. */
export async function setCartDiscount(db: Db, userId: string, code: string | null, now: number): Promise<CartRows> {
  const setCode = setCodeCompiled(db, { userId, code, updatedAt: now });
  if (code === null) {
    const [, lines, discount, options, rates] = await runBatch(db, [setCode, ...cartReads(db, userId)]);
    return toCartRows(lines, discount, options, rates);
  }
  const [, , lines, discount, options, rates] = await runBatch(db, [ensureCart(db, userId), setCode, ...cartReads(db, userId)]);
  return toCartRows(lines, discount, options, rates);
}

/** The cart's lines and the discount a code names (with this user's use of it), in one round trip. */
export async function readCartAndDiscount(db: Db, userId: string, code: string) {
  const [lines, found, options, rates] = await runBatch(db, [
    cartLinesQuery(db, userId),
    discountForUserCompiled(db, { userId, code }),
    zoneOptionsQuery(db, null),
    countryTaxRatesQuery(db, null),
  ]);
  return toCartRows(lines, found, options, rates);
}

const ensureCartCompiled = compiled((db) => db.insert(carts).values({ userId: userIdParam }).onConflictDoNothing().prepare());
const ensureCart = (db: Db, userId: string) => ensureCartCompiled(db, { userId });

const productIdParam = sql.placeholder("productId");
const variantIdParam = sql.placeholder("variantId");
// The product's lines, or only the named variant's.
const theseLines = and(
  eq(cartLines.userId, userIdParam),
  eq(cartLines.productId, productIdParam),
  sql`(${variantIdParam} is null or ${cartLines.variantId} = ${variantIdParam})`,
);

const setQuantityCompiled = compiled((db) =>
  db
    .update(cartLines)
    .set({ quantity: sql`${sql.placeholder("quantity")}` })
    .where(theseLines)
    .prepare(),
);

const removeLineCompiled = compiled((db) => db.delete(cartLines).where(theseLines).prepare());

const setCodeCompiled = compiled((db) =>
  db
    .update(carts)
    // `.set()` takes placeholders only inside `sql`, which skips the column's encoder: the
    // caller passes epoch milliseconds, as the timestamp_ms column stores them.
    .set({ discountCode: sql`${sql.placeholder("code")}`, updatedAt: sql`${sql.placeholder("updatedAt")}` })
    .where(eq(carts.userId, userIdParam))
    .prepare(),
);

/**
 * Adds to a variant's line (merging quantities) if the product and the variant are active, the
 * variant is the product's, and the cart has room. Without a variant id, the product's variant
 * when it has exactly one active. An upsert from a select: the select's WHERE keeps SQLite from
 * reading ON CONFLICT as a join constraint, and insert … select takes every column in table order.
 */
const addLineCompiled = compiled((db) =>
  db
    .insert(cartLines)
    .select(
      db
        .select({
          userId: sql<string>`${userIdParam}`.as("user_id"),
          productId: products.id,
          variantId: productVariants.id,
          quantity: sql<number>`${sql.placeholder("quantity")}`.as("quantity"),
          addedPriceCents: productVariants.priceCents,
          createdAt: nowMs().as("created_at"),
        })
        .from(productVariants)
        .innerJoin(products, eq(products.id, productVariants.productId))
        .where(
          and(
            eq(products.id, productIdParam),
            eq(products.status, "active"),
            eq(productVariants.status, "active"),
            sql`(${variantIdParam} is not null and ${productVariants.id} = ${variantIdParam} or ${variantIdParam} is null and ${db
              .select({ n: count() })
              .from(productVariants)
              .where(and(eq(productVariants.productId, productIdParam), eq(productVariants.status, "active")))} = 1)`,
            or(
              sql`${db.select({ n: count() }).from(cartLines).where(eq(cartLines.userId, userIdParam))} < ${MAX_CART_LINES}`,
              exists(
                db
                  .select({ one: sql`1` })
                  .from(cartLines)
                  .where(and(eq(cartLines.userId, userIdParam), eq(cartLines.variantId, productVariants.id))),
              ),
            ),
          ),
        ),
    )
    .onConflictDoUpdate({
      target: [cartLines.userId, cartLines.variantId],
      set: { quantity: sql`${cartLines.quantity} + excluded.${sql.identifier(cartLines.quantity.name)}` },
    })
    .prepare(),
);
