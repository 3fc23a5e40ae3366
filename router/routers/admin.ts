// admin.*: catalog, stock, discounts, order fulfilment, customers and roles, sales. Admins only (FORBIDDEN else).
import { TRPCError, tracked } from "@trpc/server";
import * as z from "zod";
import { DISCOUNT_KINDS, normaliseCode } from "../../domain/discounts";
import { invalidateNamespace } from "../../db/cache";
import { isUniqueViolation } from "../../db/client";
import {
  disableDiscount,
  findAdminOrder,
  findCategoryBySlug,
  findProductById,
  findUserSummary,
  findUsersByEmail,
  insertDiscount,
  insertProduct,
  listAdminOrders,
  listAdminProducts,
  listDiscounts,
  setUserRole,
  updateProduct,
} from "../../db/admin";
import { latestEventId, shopEventsAfter } from "../../db/order-events";
import { findOrderWithLines } from "../../db/orders";
import { PRODUCT_STATUSES } from "../../domain/catalog";
import { ORDER_STATUSES } from "../../domain/order-status";
import { PAYMENT_STATUSES } from "../../domain/payments";
import { ROLES } from "../../domain/roles";
import type { Product } from "../../db/schema";
import { CATALOG_CACHE } from "./catalog";
import type { Context } from "../context";
import { notFound, OrderView, toOrderView } from "../views/order";
import { changeOrderStatus } from "../../services/order-transitions";
import { refuse } from "../../services/refusal";
import {
  AdminOrderDetail,
  AdminOrderView,
  AdminProduct,
  AdminProductListItem,
  AdminUserView,
  adminOrderPage,
  DiscountView,
  toAdminOrderDetail,
  toAdminProduct,
} from "../views/admin";
import { salesRouter } from "./admin-sales";
import { listImagesOf } from "../../db/images";
import { removeProductImage } from "../../services/product-images";
import { ImageView, toImageView } from "../views/product";
import { EventId, Id, page, PageInput, parseCursor, toPage, byCreation } from "../views/common";
import { SHOP_FEED } from "../../services/order-updates";
import { live } from "../live";
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

const productsRouter = router({
  create: adminProcedure
    .input(ProductFields)
    .output(AdminProduct)
    .mutation(async ({ ctx, input }) => {
      const { category, ...fields } = input;
      try {
        const created = await insertProduct(ctx.db, {
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
      const { id, category, ...fields } = input;
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
    .mutation(({ ctx, input }) => patchProduct(ctx, input.productId, { stock: input.stock })),

  get: adminProcedure
    .input(z.object({ id: Id }))
    .output(AdminProduct)
    .query(async ({ ctx, input }) => {
      const product = await findProductById(ctx.db, input.id);
      if (!product) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      return toAdminProduct(product);
    }),
});

const discountsRouter = router({
  create: adminProcedure
    .input(
      z
        .object({
          code: z
            .string()
            .trim()
            .min(3)
            .max(40)
            .regex(/^[A-Za-z0-9_-]+$/, "Use letters, digits, _ and - only."),
          kind: z.enum(DISCOUNT_KINDS),
          value: z.number().int().min(1).max(100_000_000),
          minSubtotal: z.number().int().min(0).optional(),
          startsAt: z.date().optional(),
          endsAt: z.date().optional(),
          maxRedemptions: z.number().int().min(1).optional(),
          onePerCustomer: z.boolean().default(false),
        })
        .refine((d) => d.kind !== "percent" || d.value <= 100, { message: "A percentage is at most 100.", path: ["value"] })
        .refine((d) => !d.startsAt || !d.endsAt || d.startsAt < d.endsAt, {
          message: "The end must be after the start.",
          path: ["endsAt"],
        }),
    )
    .output(DiscountView)
    .mutation(async ({ ctx, input }) => {
      try {
        return await insertDiscount(ctx.db, {
          id: crypto.randomUUID(),
          code: normaliseCode(input.code),
          kind: input.kind,
          value: input.value,
          minSubtotalCents: input.minSubtotal ?? null,
          startsAt: input.startsAt ?? null,
          endsAt: input.endsAt ?? null,
          maxRedemptions: input.maxRedemptions ?? null,
          onePerCustomer: input.onePerCustomer,
        });
      } catch (error) {
        if (isUniqueViolation(error, "discounts.code"))
          throw new TRPCError({ code: "CONFLICT", message: "A discount with this code exists." });
        throw error;
      }
    }),

  list: adminProcedure
    .input(z.object(PageInput).optional())
    .output(page(DiscountView))
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 20;
      return toPage(await listDiscounts(ctx.db, parseCursor(input?.cursor), limit), limit, byCreation);
    }),

  disable: adminProcedure
    .input(z.object({ id: Id }))
    .output(DiscountView)
    .mutation(async ({ ctx, input }) => {
      const disabled = await disableDiscount(ctx.db, input.id);
      if (!disabled) throw new TRPCError({ code: "NOT_FOUND", message: "No such discount." });
      return disabled;
    }),
});

const adminOrdersRouter = router({
  /**
   * New and changed orders, shop-wide, as they happen (server-sent events): each event carries the
   * order as it now stands, tracked by its order_events id for reconnects with `lastEventId`.
   */
  onUpdate: adminProcedure.input(z.object({ lastEventId: EventId.nullish() }).optional()).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const events = live(
      ctx,
      SHOP_FEED,
      signal,
      input?.lastEventId ? Number(input.lastEventId) : null,
      (after) => shopEventsAfter(ctx.db, after),
      () => latestEventId(ctx.db),
    );
    for await (const event of events) {
      const order = await findOrderWithLines(ctx.db, event.orderId);
      if (order) yield tracked(String(event.id), { status: event.status, at: event.createdAt, order: toOrderView(order) });
    }
  }),

  list: adminProcedure
    .input(
      z
        .object({
          status: z.enum(ORDER_STATUSES).optional(),
          paymentStatus: z.enum(PAYMENT_STATUSES).optional(),
          userId: Id.optional(),
          search: z.string().trim().max(254).optional().describe("An order id or a customer's email, or the first characters of either."),
          ...PageInput,
        })
        .optional(),
    )
    .output(page(AdminOrderView))
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 20;
      const filter = {
        status: input?.status,
        paymentStatus: input?.paymentStatus,
        userId: input?.userId,
        search: input?.search || undefined,
      };
      return adminOrderPage(await listAdminOrders(ctx.db, filter, parseCursor(input?.cursor), limit), limit);
    }),

  get: adminProcedure
    .input(z.object({ id: Id }))
    .output(AdminOrderDetail)
    .query(async ({ ctx, input }) => {
      const order = await findAdminOrder(ctx.db, input.id);
      if (!order) throw notFound();
      return toAdminOrderDetail(order);
    }),

  setStatus: adminProcedure
    .input(z.object({ id: Id, status: z.enum(ORDER_STATUSES) }))
    .output(OrderView)
    .mutation(async ({ ctx, input }) => {
      const order = await findOrderWithLines(ctx.db, input.id);
      if (!order) throw notFound();
      return toOrderView(await changeOrderStatus(ctx, order, input.status));
    }),
});

const usersRouter = router({
  find: adminProcedure
    .input(z.object({ email: z.string().trim().min(1).max(254), limit: z.number().int().min(1).max(50).default(20) }))
    .output(z.array(AdminUserView))
    .query(({ ctx, input }) => findUsersByEmail(ctx.db, input.email, input.limit)),

  get: adminProcedure
    .input(z.object({ id: Id }))
    .output(AdminUserView)
    .query(async ({ ctx, input }) => {
      const user = await findUserSummary(ctx.db, input.id);
      if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
      return user;
    }),

  setRole: adminProcedure
    .input(z.object({ userId: Id, role: z.enum(ROLES) }))
    .output(z.object({ userId: z.string(), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.user.id && input.role !== "admin") {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: "You cannot remove your own admin role." });
      }
      const updated = await setUserRole(ctx.db, input.userId, input.role);
      if (!updated) {
        if (!(await findUserSummary(ctx.db, input.userId))) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
        throw refuse("PRECONDITION_FAILED", "The shop's last administrator cannot be demoted.", "last_admin");
      }
      ctx.sessions.forgetUser(input.userId);
      return { userId: input.userId, role: input.role };
    }),
});

export const adminRouter = router({
  products: productsRouter,
  discounts: discountsRouter,
  orders: adminOrdersRouter,
  users: usersRouter,
  sales: salesRouter,
});
