// Cart queries. Each mutation and the read of the resulting cart go to D1 as one batch, so a
// cart call costs one round trip.
import { and, asc, count, eq, exists, or, sql } from "drizzle-orm";
import type { ShippingOption } from "../domain/shipping";
import type { Db } from "./client";
import { compiled, runBatch, type BoundResult } from "./compiled";
import { cartLines, carts, discountRedemptions, discounts, nowMs, products } from "./schema";
import { countryTaxRatesQuery, toShippingOptions, zoneOptionsQuery, type TaxRateRow, type ZoneOptionRow } from "./shipping";

export const MAX_CART_LINES = 50;

const userIdParam = sql.placeholder("userId");

/** A user's cart lines with the products' current price, stock and status, oldest first. */
const cartLinesCompiled = compiled((db) =>
  db
    .select({
      productId: cartLines.productId,
      slug: products.slug,
      name: products.name,
      quantity: cartLines.quantity,
      addedPriceCents: cartLines.addedPriceCents,
      unitPriceCents: products.priceCents,
      currency: products.currency,
      stock: products.stock,
      status: products.status,
    })
    .from(cartLines)
    .innerJoin(products, eq(products.id, cartLines.productId))
    .where(eq(cartLines.userId, userIdParam))
    .orderBy(asc(cartLines.createdAt), asc(cartLines.productId))
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

/** Adds to a line; `added` is false when the product is not on sale or the cart is full. */
export async function addLine(db: Db, userId: string, productId: string, quantity: number) {
  const [, added, lines, discount, options, rates] = await runBatch(db, [
    ensureCart(db, userId),
    addLineCompiled(db, { userId, productId, quantity }),
    ...cartReads(db, userId),
  ]);
  return { added: added.meta.changes > 0, cart: toCartRows(lines, discount, options, rates) };
}

/** Sets a line's quantity; `changed` is false when the product is not in the cart. */
export async function setLineQuantity(db: Db, userId: string, productId: string, quantity: number) {
  const [changed, lines, discount, options, rates] = await runBatch(db, [
    setQuantityCompiled(db, { userId, productId, quantity }),
    ...cartReads(db, userId),
  ]);
  return { changed: changed.meta.changes > 0, cart: toCartRows(lines, discount, options, rates) };
}

export async function removeLine(db: Db, userId: string, productId: string): Promise<CartRows> {
  const [, lines, discount, options, rates] = await runBatch(db, [removeLineCompiled(db, { userId, productId }), ...cartReads(db, userId)]);
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
const thisLine = and(eq(cartLines.userId, userIdParam), eq(cartLines.productId, productIdParam));

const setQuantityCompiled = compiled((db) =>
  db
    .update(cartLines)
    .set({ quantity: sql`${sql.placeholder("quantity")}` })
    .where(thisLine)
    .prepare(),
);

const removeLineCompiled = compiled((db) => db.delete(cartLines).where(thisLine).prepare());

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
 * Adds to a line (merging quantities) if the product is active and the cart has room. An
 * upsert from a select: the select's WHERE keeps SQLite from reading ON CONFLICT as a join
 * constraint, and insert … select takes every column in table order.
 */
const addLineCompiled = compiled((db) =>
  db
    .insert(cartLines)
    .select(
      db
        .select({
          userId: sql<string>`${userIdParam}`.as("user_id"),
          productId: products.id,
          quantity: sql<number>`${sql.placeholder("quantity")}`.as("quantity"),
          addedPriceCents: products.priceCents,
          createdAt: nowMs().as("created_at"),
        })
        .from(products)
        .where(
          and(
            eq(products.id, productIdParam),
            eq(products.status, "active"),
            or(
              sql`${db.select({ n: count() }).from(cartLines).where(eq(cartLines.userId, userIdParam))} < ${MAX_CART_LINES}`,
              exists(
                db
                  .select({ one: sql`1` })
                  .from(cartLines)
                  .where(thisLine),
              ),
            ),
          ),
        ),
    )
    .onConflictDoUpdate({
      target: [cartLines.userId, cartLines.productId],
      set: { quantity: sql`${cartLines.quantity} + excluded.${sql.identifier(cartLines.quantity.name)}` },
    })
    .prepare(),
);
