// admin.variants.*: a product's options and variants as the back office's grid edits them, and bulk stock.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { invalidateNamespace } from "../../db/cache";
import { isUniqueViolation } from "../../db/client";
import { findVariantGrid, saveVariantGrid, setVariantsStock } from "../../db/variants";
import {
  gridProblem,
  MAX_OPTION_VALUES,
  MAX_OPTIONS,
  MAX_VARIANTS,
  storedValues,
  VARIANT_STATUSES,
  variantLabel,
} from "../../domain/variants";
import type { ProductVariant } from "../../db/schema";
import { CATALOG_CACHE } from "./catalog";
import { Id } from "../views/common";
import { adminProcedure, router } from "../trpc";

const Name = z.string().trim().min(1).max(40);
const Sku = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, dots, hyphens and underscores.");
const Stock = z.number().int().min(0).max(1_000_000);

const GridInput = z.object({
  productId: Id,
  options: z.array(z.object({ name: Name, values: z.array(Name).min(1).max(MAX_OPTION_VALUES) })).max(MAX_OPTIONS),
  variants: z
    .array(
      z.object({
        id: Id.optional(),
        sku: Sku,
        optionValues: z.array(Name).max(MAX_OPTIONS),
        priceCents: z.number().int().min(0).max(100_000_000),
        stock: Stock,
        // Grams; absurd weights (over a tonne) are a typo, not a parcel.
        weightGrams: z.number().int().min(0).max(1_000_000).nullable().default(null),
        status: z.enum(VARIANT_STATUSES).default("active"),
        imageId: Id.nullable().default(null),
      }),
    )
    .min(1)
    .max(MAX_VARIANTS),
});

const AdminVariant = z.object({
  id: z.string(),
  sku: z.string(),
  optionValues: z.array(z.string()),
  label: z.string(),
  priceCents: z.number().int(),
  stock: z.number().int(),
  weightGrams: z.number().int().nullable(),
  status: z.enum(VARIANT_STATUSES),
  imageId: z.string().nullable(),
});

const VariantGrid = z.object({
  productId: z.string(),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  variants: z.array(AdminVariant),
});

const toAdminVariant = (v: ProductVariant, optionCount: number): z.infer<typeof AdminVariant> => {
  const optionValues = [v.option1, v.option2, v.option3].slice(0, optionCount);
  return {
    id: v.id,
    sku: v.sku,
    optionValues,
    label: variantLabel(optionValues),
    priceCents: v.priceCents,
    stock: v.stock,
    weightGrams: v.weightGrams,
    status: v.status,
    imageId: v.imageId,
  };
};

async function gridOf(ctx: { db: Parameters<typeof findVariantGrid>[0] }, productId: string): Promise<z.infer<typeof VariantGrid>> {
  const grid = await findVariantGrid(ctx.db, productId);
  if (!grid) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
  return { productId, options: grid.options, variants: grid.variants.map((v) => toAdminVariant(v, grid.options.length)) };
}

export const variantsRouter = router({
  get: adminProcedure
    .input(z.object({ productId: Id }))
    .output(VariantGrid)
    .query(({ ctx, input }) => gridOf(ctx, input.productId)),

  /**
   * Saves the grid: the options as given, the variants as given (an id edits that variant, none
   * adds one), and archives the product's variants left out. Prices and stock go to the variants;
   * the catalog shows the change on the next read.
   */
  save: adminProcedure
    .input(GridInput)
    .output(VariantGrid)
    .mutation(async ({ ctx, input }) => {
      const problem = gridProblem(input.options, input.variants);
      if (problem) throw new TRPCError({ code: "BAD_REQUEST", message: problem });
      const current = await findVariantGrid(ctx.db, input.productId);
      if (!current) throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      const own = new Set(current.variants.map((v) => v.id));
      const foreign = input.variants.find((v) => v.id !== undefined && !own.has(v.id));
      if (foreign) throw new TRPCError({ code: "BAD_REQUEST", message: `Variant ${foreign.sku} is not one of this product's.` });
      const rows = input.variants.map((v) => ({ ...v, values: storedValues(v.optionValues) }));
      try {
        await saveVariantGrid(ctx.db, input.productId, input.options, rows, new Date(ctx.now()));
      } catch (error) {
        if (isUniqueViolation(error, "product_variants.sku")) {
          throw new TRPCError({ code: "CONFLICT", message: "Another variant already has one of these SKUs." });
        }
        if (isUniqueViolation(error, "product_variants.product_id")) {
          throw new TRPCError({ code: "CONFLICT", message: "An archived variant has one of these combinations: edit it instead." });
        }
        throw error;
      }
      await invalidateNamespace(ctx.cache, CATALOG_CACHE);
      return gridOf(ctx, input.productId);
    }),

  /** Bulk stock update: many variants, of any products, in one batch. */
  setStock: adminProcedure
    .input(
      z.object({
        items: z
          .array(z.object({ variantId: Id, stock: Stock }))
          .min(1)
          .max(MAX_VARIANTS),
      }),
    )
    .output(z.object({ updated: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const updated = await setVariantsStock(ctx.db, input.items, new Date(ctx.now()));
      await invalidateNamespace(ctx.cache, CATALOG_CACHE);
      return { updated };
    }),
});
