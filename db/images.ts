// Product image rows: the R2 key, pixel size and order of each product's images.
import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "./client";
import { productImages } from "./schema";

export const MAX_IMAGES_PER_PRODUCT = 12;

export const countImagesOf = async (db: Db, productId: string) =>
  (await db.select({ n: count() }).from(productImages).where(eq(productImages.productId, productId)).get())?.n ?? 0;

export const insertImage = (db: Db, row: typeof productImages.$inferInsert) => db.insert(productImages).values(row).returning().get();

export const listImagesOf = (db: Db, productId: string) =>
  db
    .select()
    .from(productImages)
    .where(eq(productImages.productId, productId))
    .orderBy(asc(productImages.position), asc(productImages.id))
    .all();

export const deleteImage = (db: Db, productId: string, id: string) =>
  db
    .delete(productImages)
    .where(and(eq(productImages.id, id), eq(productImages.productId, productId)))
    .returning()
    .get();
