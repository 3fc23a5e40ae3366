// catalog.*: public, KV-cached reads of categories and products.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { cached } from "../../db/cache";
import {
  CATALOG_CACHE,
  cursorAfter,
  findProductDetailBySlug,
  listActiveProducts,
  listCategories,
  recommendedProducts,
} from "../../db/catalog";
import { listOrder, SORTS } from "../../domain/catalog";
import { MAX_SEARCH_TERMS, MIN_PREFIX_LENGTH, toMatchExpression } from "../../domain/search";
import { Id, page, PageInput, parseCursor, toPage } from "../views/common";
import { ProductDetailView, ProductView, toProductDetailView, toProductView } from "../views/product";
import { cachedPublicProcedure, router } from "../trpc";

export { CATALOG_CACHE };
const TTL_SECONDS = 300;

const Slug = z.string().trim().min(1).max(120);

// What reaches KV (db/cache.ts): only values whose keys come from a set the shop bounds, never
// an empty answer. Search text and cursors are the caller's to invent, so those pages, and every
// empty page or unknown slug, stay in the isolate's memory only.
const nonEmpty = (rows: readonly unknown[]) => rows.length > 0;

/** The longest search text, in characters (UTF-16 units, after trimming): a search box's worth. */
export const MAX_SEARCH_LENGTH = 100;

// Public reads carry no Durable Object rate limit: a limiter call on every read cost 5× in
// throughput (BENCHMARKS.md), and floods of cached reads are the edge's job (WAF rules).

export const catalogRouter = router({
  categories: cachedPublicProcedure
    .meta({ openapi: { method: "GET", path: "/catalog/categories", tags: ["catalog"], summary: "All categories.", protect: false } })
    .output(z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })))
    .query(({ ctx }) => cached(ctx.cache, CATALOG_CACHE, "categories", TTL_SECONDS, () => listCategories(ctx.db), nonEmpty)),

  list: cachedPublicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/catalog/products",
        tags: ["catalog"],
        summary: "Active products: browse a category, search, sort, page.",
        protect: false,
        refusals: {
          400: "Invalid input, a page cursor we did not issue, or a query parameter that is not a plain decimal integer where one is expected.",
        },
      },
    })
    .input(
      z.object({
        category: Slug.optional(),
        q: z
          .string()
          .trim()
          .max(MAX_SEARCH_LENGTH)
          .optional()
          .describe(
            `Full-text search of name and description, at most ${MAX_SEARCH_LENGTH} characters. Words are runs of letters and digits ` +
              `(anything else separates them, so search syntax is plain text); a word of ${MIN_PREFIX_LENGTH} characters or more ` +
              `matches as a prefix ("stee" finds "Steel"), a shorter one only as a whole word; case and accents are ignored ` +
              `("cafe" finds "Café"); every word must match; words after the first ${MAX_SEARCH_TERMS} are ignored. ` +
              `Text without a word (only punctuation or emoji) finds nothing. Results are ranked by relevance (a match in the name ` +
              `before one only in the description) unless \`sort\` is given, and page by cursor like any list.`,
          ),
        sort: z.enum(SORTS).optional().describe("The list's order. Default: relevance when searching with `q`, newest first otherwise."),
        ...PageInput,
      }),
    )
    .output(page(ProductView))
    .query(async ({ ctx, input }) => {
      const cursor = parseCursor(input.cursor);
      const match = input.q ? toMatchExpression(input.q) : null;
      if (input.q && !match) return { items: [], nextCursor: null };
      const order = listOrder(input.sort, match !== null);
      // Keyed by the match expression, so "Steel" and " steel " share an entry.
      const query = { category: input.category, match: match ?? undefined, order, cursor, limit: input.limit };
      // First pages without search text: categories × sorts × limits, all bounded by the shop.
      const firstPage = query.match === undefined && cursor === null;
      const rows = await cached(
        ctx.cache,
        CATALOG_CACHE,
        `list:${JSON.stringify(query)}`,
        TTL_SECONDS,
        () => listActiveProducts(ctx.db, query),
        (r) => firstPage && nonEmpty(r),
      );
      const { items, nextCursor } = toPage(rows, input.limit, (last) => cursorAfter(last, order));
      return { items: items.map((r) => toProductView(r, ctx.config.lowStockThreshold)), nextCursor };
    }),

  get: cachedPublicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/catalog/products/{slug}",
        tags: ["catalog"],
        summary: "One active product by its slug, with its options and the variants on sale.",
        protect: false,
        refusals: { 404: "No active product has this slug (absent or archived)." },
      },
    })
    .input(z.object({ slug: Slug }))
    .output(ProductDetailView)
    .query(async ({ ctx, input }) => {
      // "detail:" rather than "get:": entries cached before variants hold no options or variants.
      const row = await cached(
        ctx.cache,
        CATALOG_CACHE,
        `detail:${input.slug}`,
        TTL_SECONDS,
        async () => (await findProductDetailBySlug(ctx.db, input.slug)) ?? null,
        (r) => r !== null,
      );
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      return toProductDetailView(row, ctx.config.lowStockThreshold);
    }),

  recommendations: cachedPublicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/catalog/products/{productId}/recommendations",
        tags: ["catalog"],
        summary: "Products often bought together with this one.",
        protect: false,
      },
    })
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
