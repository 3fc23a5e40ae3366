// catalog.*: public, KV-cached reads of categories and products.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { cached } from "../../db/cache";
import { findActiveProductBySlug, listActiveProducts, listCategories, recommendedProducts, sortValue } from "../../db/catalog";
import { SORTS } from "../../domain/catalog";
import { Id, page, PageInput, parseCursor, toPage } from "../views/common";
import { ProductView, toProductView } from "../views/product";
import { publicProcedure, router } from "../trpc";

export const CATALOG_CACHE = "catalog";
const TTL_SECONDS = 300;

const Slug = z.string().trim().min(1).max(120);

// What reaches KV (db/cache.ts): only values whose keys come from a set the shop bounds, never
// an empty answer. Search text and cursors are the caller's to invent, so those pages, and every
// empty page or unknown slug, stay in the isolate's memory only.
const nonEmpty = (rows: readonly unknown[]) => rows.length > 0;

// Public reads carry no Durable Object rate limit: a limiter call on every read cost 5× in
// throughput (BENCHMARKS.md), and floods of cached reads are the edge's job (WAF rules).

export const catalogRouter = router({
  categories: publicProcedure
    .output(z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })))
    .query(({ ctx }) => cached(ctx.cache, CATALOG_CACHE, "categories", TTL_SECONDS, () => listCategories(ctx.db), nonEmpty)),

  list: publicProcedure
    .input(
      z.object({
        category: Slug.optional(),
        q: z.string().trim().max(100).optional(),
        sort: z.enum(SORTS).default("newest"),
        ...PageInput,
      }),
    )
    .output(page(ProductView))
    .query(async ({ ctx, input }) => {
      const cursor = parseCursor(input.cursor);
      const query = { ...input, q: input.q || undefined, cursor };
      // First pages without search text: categories × sorts × limits, all bounded by the shop.
      const firstPage = query.q === undefined && cursor === null;
      const rows = await cached(
        ctx.cache,
        CATALOG_CACHE,
        `list:${JSON.stringify(query)}`,
        TTL_SECONDS,
        () => listActiveProducts(ctx.db, query),
        (r) => firstPage && nonEmpty(r),
      );
      const { items, nextCursor } = toPage(rows, input.limit, (last) => ({ v: sortValue(last, input.sort), id: last.id }));
      return { items: items.map((r) => toProductView(r, ctx.config.lowStockThreshold)), nextCursor };
    }),

  get: publicProcedure
    .input(z.object({ slug: Slug }))
    .output(ProductView)
    .query(async ({ ctx, input }) => {
      const row = await cached(
        ctx.cache,
        CATALOG_CACHE,
        `get:${input.slug}`,
        TTL_SECONDS,
        async () => (await findActiveProductBySlug(ctx.db, input.slug)) ?? null,
        (r) => r !== null,
      );
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      return toProductView(row, ctx.config.lowStockThreshold);
    }),

  recommendations: publicProcedure
    .input(z.object({ productId: Id, limit: z.number().int().min(1).max(20).default(6) }))
    .output(z.array(ProductView))
    .query(async ({ ctx, input }) => {
      // An unknown product id has no recommendations: empty lists stay in memory.
      const rows = await cached(
        ctx.cache,
        CATALOG_CACHE,
        `recs:${input.productId}:${input.limit}`,
        TTL_SECONDS,
        () => recommendedProducts(ctx.db, input.productId, input.limit),
        nonEmpty,
      );
      return rows.map((r) => toProductView(r, ctx.config.lowStockThreshold));
    }),
});
