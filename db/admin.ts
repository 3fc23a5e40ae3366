// Admin reads and writes: the catalog, discounts, orders with their customers and history, roles.
import { and, asc, count, desc, eq, gte, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Cursor } from "../domain/cursor";
import type { ProductStatus } from "../domain/catalog";
import type { Db } from "./client";
import { olderThan } from "./keyset";
import type { Role } from "../domain/roles";
import { categories, discounts, orderEvents, orderLines, orders, payments, products, users } from "./schema";

export const findCategoryBySlug = (db: Db, slug: string) => db.select().from(categories).where(eq(categories.slug, slug)).get();

export const findProductById = (db: Db, id: string) => db.select().from(products).where(eq(products.id, id)).get();

export const updateProduct = (db: Db, id: string, patch: Partial<typeof products.$inferInsert>) =>
  db
    .update(products)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(products.id, id))
    .returning()
    .get();

/** Rows whose text column starts with `prefix`, as a range the column's index can serve. */
export const startsWith = (column: typeof users.email | typeof orders.id, prefix: string) =>
  and(gte(column, prefix), lt(column, `${prefix}\u{10FFFF}`));

/**
 * Every product, archived ones too, newest first. `q` matches the name or slug anywhere: a
 * back-office search over a shop's few thousand products, where a scan of one index is cheap and
 * a shop owner types fragments ("kett"), not the full-text index's words.
 */
export function listAdminProducts(db: Db, filter: { q?: string; status?: ProductStatus }, cursor: Cursor | null, limit: number) {
  // instr() over lower(), not LIKE: D1 refuses a LIKE pattern over 50 bytes ("pattern too complex",
  // a 500 for a 100-character search), and instr() has no wildcards to escape. lower() folds ASCII
  // only, as LIKE does.
  const fragment = filter.q;
  return db
    .select({ product: products, categorySlug: categories.slug })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(
      and(
        filter.status ? eq(products.status, filter.status) : undefined,
        fragment
          ? sql`(instr(lower(${products.name}), lower(${fragment})) > 0 or instr(${products.slug}, lower(${fragment})) > 0)`
          : undefined,
        olderThan(products.createdAt, products.id, cursor),
      ),
    )
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(limit + 1)
    .all();
}

export const insertDiscount = (db: Db, row: typeof discounts.$inferInsert) => db.insert(discounts).values(row).returning().get();

export const disableDiscount = (db: Db, id: string) =>
  db.update(discounts).set({ active: false }).where(eq(discounts.id, id)).returning().get();

export function listDiscounts(db: Db, cursor: Cursor | null, limit: number) {
  return db
    .select()
    .from(discounts)
    .where(olderThan(discounts.createdAt, discounts.id, cursor))
    .orderBy(desc(discounts.createdAt), desc(discounts.id))
    .limit(limit + 1)
    .all();
}

// Columns of joined tables get names of their own: D1's batch returns rows as objects keyed by
// column name, so a second "id" would overwrite the first.
export const adminOrderFields = {
  order: orders,
  customer: { id: sql<string>`${users.id}`.as("customer_id"), email: users.email, name: users.name },
};

/** One order with its customer, lines, payments and history, in one round trip. */
export async function findAdminOrder(db: Db, id: string) {
  const actor = alias(users, "actor");
  const [[row], lines, paymentRows, history] = await db.batch([
    db.select(adminOrderFields).from(orders).innerJoin(users, eq(users.id, orders.userId)).where(eq(orders.id, id)),
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(orderLines.productId, orderLines.variantId),
    db.select().from(payments).where(eq(payments.orderId, id)).orderBy(asc(payments.createdAt)),
    db
      .select({ event: orderEvents, actor: { id: sql<string>`${actor.id}`.as("actor_user_id"), email: actor.email } })
      .from(orderEvents)
      .leftJoin(actor, eq(actor.id, orderEvents.actorId))
      .where(eq(orderEvents.orderId, id))
      .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id)),
  ]);
  if (!row) return undefined;
  return { ...row.order, customer: row.customer, payment: paymentRows.at(-1) ?? null, lines, payments: paymentRows, history };
}

export type AdminOrderDetailRow = NonNullable<Awaited<ReturnType<typeof findAdminOrder>>>;

/** Users whose email starts with `prefix` (emails are stored lower-case), by the email index. */
export const findUsersByEmail = (db: Db, prefix: string, limit: number) =>
  db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(startsWith(users.email, prefix.trim().toLowerCase()))
    .orderBy(asc(users.email))
    .limit(limit);

export const findUserSummary = (db: Db, id: string) =>
  db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, id))
    .get();

/**
 * Sets a role. Demoting an admin is guarded in the statement itself: it changes nothing unless
 * another admin remains, so two admins demoting each other at once cannot leave the shop with none
 * (D1 runs statements one at a time). Undefined when nothing changed.
 */
export function setUserRole(db: Db, id: string, role: Role) {
  const admins = alias(users, "admins");
  const anotherAdminRemains = sql`(${db.select({ n: count() }).from(admins).where(eq(admins.role, "admin"))}) > 1`;
  return db
    .update(users)
    .set({ role, updatedAt: new Date() })
    .where(and(eq(users.id, id), role === "admin" ? undefined : sql`(${users.role} <> 'admin' or ${anotherAdminRemains})`))
    .returning({ id: users.id, role: users.role })
    .get();
}
