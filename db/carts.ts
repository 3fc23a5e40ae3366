// Cart queries. Each mutation and the read of the resulting cart go to D1 as one batch, so a
// cart call costs one round trip.
import { and, asc, count, eq, exists, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { cartLines, carts, discountRedemptions, discounts, nowMs, products } from "./schema";

export const MAX_CART_LINES = 50;

/** A user's cart lines with the products' current price, stock and status, oldest first. */
export const cartLinesQuery = (db: Db, userId: string) =>
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
    .where(eq(cartLines.userId, userId))
    .orderBy(asc(cartLines.createdAt), asc(cartLines.productId));

// Every column name distinct: D1 returns a batch's rows as objects keyed by column name.
const discountFields = (db: Db, userId: string) => ({
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
    .where(and(eq(discountRedemptions.discountId, discounts.id), eq(discountRedemptions.userId, userId)))}`
    .mapWith(Number)
    .as("used_by_customer"),
});

/** The discount on a user's cart (if any), with how often this user has redeemed it. */
export const cartDiscountQuery = (db: Db, userId: string) =>
  db
    .select(discountFields(db, userId))
    .from(carts)
    .innerJoin(discounts, eq(discounts.code, carts.discountCode))
    .where(eq(carts.userId, userId));

/** The discount a code names (if any), with how often this user has redeemed it. */
const discountForUserQuery = (db: Db, userId: string, code: string) =>
  db.select(discountFields(db, userId)).from(discounts).where(eq(discounts.code, code));

export type CartLineRow = Awaited<ReturnType<typeof cartLinesQuery>>[number];
export type CartDiscountRow = Awaited<ReturnType<typeof cartDiscountQuery>>[number];

export interface CartRows {
  lines: CartLineRow[];
  discount: CartDiscountRow | null;
}

/** The cart from the rows of its two reads (at most one discount row). */
export function toCartRows(lines: CartLineRow[], discounts: CartDiscountRow[]): CartRows {
  const [discount] = discounts;
  return { lines, discount: discount ?? null };
}

export async function readCart(db: Db, userId: string): Promise<CartRows> {
  const [lines, discount] = await db.batch([cartLinesQuery(db, userId), cartDiscountQuery(db, userId)]);
  return toCartRows(lines, discount);
}

/** Adds to a line; `added` is false when the product is not on sale or the cart is full. */
export async function addLine(db: Db, userId: string, productId: string, quantity: number) {
  const [, added, lines, discount] = await db.batch([
    ensureCart(db, userId),
    addLineQuery(db, userId, productId, quantity),
    cartLinesQuery(db, userId),
    cartDiscountQuery(db, userId),
  ]);
  return { added: added.meta.changes > 0, cart: toCartRows(lines, discount) };
}

/** Sets a line's quantity; `changed` is false when the product is not in the cart. */
export async function setLineQuantity(db: Db, userId: string, productId: string, quantity: number) {
  const [changed, lines, discount] = await db.batch([
    db
      .update(cartLines)
      .set({ quantity })
      .where(and(eq(cartLines.userId, userId), eq(cartLines.productId, productId))),
    cartLinesQuery(db, userId),
    cartDiscountQuery(db, userId),
  ]);
  return { changed: changed.meta.changes > 0, cart: toCartRows(lines, discount) };
}

export async function removeLine(db: Db, userId: string, productId: string): Promise<CartRows> {
  const [, lines, discount] = await db.batch([
    db.delete(cartLines).where(and(eq(cartLines.userId, userId), eq(cartLines.productId, productId))),
    cartLinesQuery(db, userId),
    cartDiscountQuery(db, userId),
  ]);
  return toCartRows(lines, discount);
}

/** Applies (or with null, removes) the cart's discount code. */
export async function setCartDiscount(db: Db, userId: string, code: string | null, now: number): Promise<CartRows> {
  const setCode = db
    .update(carts)
    .set({ discountCode: code, updatedAt: new Date(now) })
    .where(eq(carts.userId, userId));
  if (code === null) {
    const [, lines, discount] = await db.batch([setCode, cartLinesQuery(db, userId), cartDiscountQuery(db, userId)]);
    return toCartRows(lines, discount);
  }
  const [, , lines, discount] = await db.batch([
    ensureCart(db, userId),
    setCode,
    cartLinesQuery(db, userId),
    cartDiscountQuery(db, userId),
  ]);
  return toCartRows(lines, discount);
}

/** The cart's lines and the discount a code names (with this user's use of it), in one round trip. */
export async function readCartAndDiscount(db: Db, userId: string, code: string) {
  const [lines, found] = await db.batch([cartLinesQuery(db, userId), discountForUserQuery(db, userId, code)]);
  return toCartRows(lines, found);
}

const ensureCart = (db: Db, userId: string) => db.insert(carts).values({ userId }).onConflictDoNothing();

/**
 * Adds to a line (merging quantities) if the product is active and the cart has room. An
 * upsert from a select: the select's WHERE keeps SQLite from reading ON CONFLICT as a join
 * constraint, and insert … select takes every column in table order.
 */
const addLineQuery = (db: Db, userId: string, productId: string, quantity: number) =>
  db
    .insert(cartLines)
    .select(
      db
        .select({
          userId: sql<string>`${userId}`.as("user_id"),
          productId: products.id,
          quantity: sql<number>`${quantity}`.as("quantity"),
          addedPriceCents: products.priceCents,
          createdAt: nowMs().as("created_at"),
        })
        .from(products)
        .where(
          and(
            eq(products.id, productId),
            eq(products.status, "active"),
            or(
              sql`${db.select({ n: count() }).from(cartLines).where(eq(cartLines.userId, userId))} < ${MAX_CART_LINES}`,
              exists(
                db
                  .select({ one: sql`1` })
                  .from(cartLines)
                  .where(and(eq(cartLines.userId, userId), eq(cartLines.productId, productId))),
              ),
            ),
          ),
        ),
    )
    .onConflictDoUpdate({
      target: [cartLines.userId, cartLines.productId],
      set: { quantity: sql`${cartLines.quantity} + excluded.${sql.identifier(cartLines.quantity.name)}` },
    });
