// admin.products.*: the catalog as the back office edits it: create, update, archive, stock, images.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { invalidateNamespace } from "../../db/cache";
import { isUniqueViolation } from "../../db/client";
import { findCategoryBySlug, findProductById, listAdminProducts, updateProduct } from "../../db/admin";
import { insertProductWithDefaultVariant, setSingleVariant } from "../../db/variants";
import { refuse } from "../../domain/refusals";
import { PRODUCT_STATUSES } from "../../domain/catalog";
import type { Product } from "../../db/schema";
import { CATALOG_CACHE } from "./catalog";
import type { Context } from "../context";
import { AdminProduct, AdminProductListItem, toAdminProduct } from "../views/admin";
import { listImagesOf } from "../../db/images";
import { removeProductImage } from "../../services/product-images";
import { ImageView, toImageView } from "../views/product";
import { Id, page, PageInput, parseCursor, toPage, byCreation } from "../views/common";
import { adminProcedure, router } from "../trpc";

const ProductFields = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens.")
    .max(120),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).default(""),
  category: z.string().trim().min(1).max(120),
  priceCents: z.number().int().min(0).max(100_000_000),
  stock: z.number().int().min(0).max(1_000_000).default(0),
});

async function categoryId(ctx: Context, slug: string) {
  const category = await findCategoryBySlug(ctx.db, slug);
  if (!category) throw new TRPCError({ code: "BAD_REQUEST", message: `No category "${slug}".` });
  return category.id;
}

/** Catalog edits must show on the next read: every cached catalog key moves to a new version. */
const invalidateCatalog = (ctx: Context) => invalidateNamespace(ctx.cache, CATALOG_CACHE);

async function patchProduct(ctx: Context, id: string, patch: Partial<Product>) {
  let updated;
  try {
    updated = await updateProduct(ctx.db, id, patch);
  } catch (error) {
    if (isUniqueViolation(error, "products.slug")) throw new TRPCError({ code: "CONFLICT", message: "Another product has this slug." });
    throw error;
  }
  if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
  await invalidateCatalog(ctx);
  return toAdminProduct(updated);
}

/** Sets the price or stock of a product sold as one variant; refuses for a product with several. */
async function setPriceOrStock(ctx: Context, productId: string, patch: { priceCents?: number; stock?: number }) {
  if (await setSingleVariant(ctx.db, productId, patch)) return;
  if (!(await findProductById(ctx.db, productId))) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
  throw refuse("rejected_input", "This product has several variants: set prices and stock per variant.", "variant_unavailable");
}

export const productsRouter = router({
  create: adminProcedure
    .input(ProductFields)
    .output(AdminProduct)
    .mutation(async ({ ctx, input }) => {
      const { category, ...fields } = input;
      try {
        const created = await insertProductWithDefaultVariant(ctx.db, {
          id: crypto.randomUUID(),
          ...fields,
          categoryId: await categoryId(ctx, category),
          currency: ctx.config.currency,
        });
        await invalidateCatalog(ctx);
        return toAdminProduct(created);
      } catch (error) {
        if (isUniqueViolation(error, "products.slug")) throw new TRPCError({ code: "CONFLICT", message: "Another product has this slug." });
        throw error;
      }
    }),

  update: adminProcedure
    .input(ProductFields.omit({ stock: true }).partial().extend({ id: Id }))
    .output(AdminProduct)
    .mutation(async ({ ctx, input }) => {
      const { id, category, priceCents, ...fields } = input;
      // A price belongs to a variant: a product sold as one variant takes it there (the trigger
      // summarises it back onto the product); one with several is priced per variant.
      // The form sends the price it shows (the "from" price) with every edit: only a change is a price to set.
      if (priceCents !== undefined && priceCents !== (await findProductById(ctx.db, id))?.priceCents) {
        await setPriceOrStock(ctx, id, { priceCents });
      }
      return patchProduct(ctx, id, { ...fields, ...(category ? { categoryId: await categoryId(ctx, category) } : {}) });
    }),

  archive: adminProcedure
    .input(z.object({ id: Id }))
    .output(AdminProduct)
    .mutation(({ ctx, input }) => patchProduct(ctx, input.id, { status: "archived" })),

  restore: adminProcedure
    .input(z.object({ id: Id }))
    .output(AdminProduct)
    .mutation(({ ctx, input }) => patchProduct(ctx, input.id, { status: "active" })),

  images: adminProcedure
    .input(z.object({ productId: Id }))
    .output(z.array(ImageView.extend({ id: z.string() })))
    .query(async ({ ctx, input }) => (await listImagesOf(ctx.db, input.productId)).map((i) => ({ id: i.id, ...toImageView(i) }))),

  removeImage: adminProcedure
    .input(z.object({ productId: Id, imageId: Id }))
    .output(z.object({ removed: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const removed = await removeProductImage({ db: ctx.db, bucket: ctx.images, cache: ctx.cache }, input.productId, input.imageId);
      if (!removed) throw new TRPCError({ code: "NOT_FOUND", message: "No such image." });
      return { removed: true as const };
    }),

  list: adminProcedure
    .input(z.object({ q: z.string().trim().max(100).optional(), status: z.enum(PRODUCT_STATUSES).optional(), ...PageInput }).optional())
    .output(page(AdminProductListItem))
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 20;
      const rows = await listAdminProducts(ctx.db, { q: input?.q || undefined, status: input?.status }, parseCursor(input?.cursor), limit);
      const { items, nextCursor } = toPage(rows, limit, (r) => byCreation(r.product));
      return { items: items.map((r) => ({ ...toAdminProduct(r.product), category: r.categorySlug })), nextCursor };
    }),

  setStock: adminProcedure
    .input(z.object({ productId: Id, stock: z.number().int().min(0).max(1_000_000) }))
    .output(AdminProduct)
    .mutation(async ({ ctx, input }) => {
      await setPriceOrStock(ctx, input.productId, { stock: input.stock });
      return patchProduct(ctx, input.productId, {});
    }),

  get: adminProcedure
    .input(z.object({ id: Id }))
    .output(AdminProduct)
    .query(async ({ ctx, input }) => {
      const product = await findProductById(ctx.db, input.id);
      if (!product) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      return toAdminProduct(product);
    }),
});
