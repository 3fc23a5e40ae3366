// admin.discounts.*: discount codes: create, list, disable.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { DISCOUNT_KINDS, normaliseCode } from "../../domain/discounts";
import { isUniqueViolation } from "../../db/client";
import { disableDiscount, insertDiscount, listDiscounts } from "../../db/admin";
import { DiscountView } from "../views/admin";
import { Id, page, PageInput, parseCursor, toPage, byCreation } from "../views/common";
import { adminProcedure, router } from "../trpc";

export const discountsRouter = router({
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
