// Admin writes to the catalog, discounts and roles.
import { desc, eq } from "drizzle-orm";
import type { Cursor } from "../domain/cursor";
import type { Db } from "./client";
import { olderThan } from "./keyset";
import type { Role } from "../domain/roles";
import { categories, discounts, products, users } from "./schema";

export const findCategoryBySlug = (db: Db, slug: string) => db.select().from(categories).where(eq(categories.slug, slug)).get();

export const findProductById = (db: Db, id: string) => db.select().from(products).where(eq(products.id, id)).get();

export const insertProduct = (db: Db, row: typeof products.$inferInsert) => db.insert(products).values(row).returning().get();

export const updateProduct = (db: Db, id: string, patch: Partial<typeof products.$inferInsert>) =>
  db
    .update(products)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(products.id, id))
    .returning()
    .get();

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

export const setUserRole = (db: Db, id: string, role: Role) =>
  db.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, id)).returning({ id: users.id }).get();
