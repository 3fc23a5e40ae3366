// admin.sales.*: the dashboard's aggregates over the last N UTC days, one D1 round trip each.
import { dailySalesQuery, discountUsageQuery, salesSummaryQuery, topProductsQuery, topVariantsQuery } from "../../db/sales";
import { everyDay, refundRate, salesWindow } from "../../domain/sales";
import type { Context } from "../context";
import { adminProcedure, router } from "../trpc";
import { DailySales, DiscountUsage, SalesInput, SalesSummary, TopProducts, TopVariants } from "../views/admin";
import * as z from "zod";

const windowOf = (ctx: Pick<Context, "now">, days: number) => {
  const w = salesWindow(ctx.now(), days);
  return { from: new Date(w.from), to: new Date(w.to), ms: w };
};

export const salesRouter = router({
  daily: adminProcedure
    .input(SalesInput)
    .output(DailySales)
    .query(async ({ ctx, input }) => {
      const w = windowOf(ctx, input.days);
      const rows = await dailySalesQuery(ctx.db, w).all();
      return {
        from: w.from,
        to: w.to,
        days: everyDay(w.ms, rows, (r) => ({ orders: r?.orders ?? 0, revenueCents: r?.revenueCents ?? 0 })),
      };
    }),

  summary: adminProcedure
    .input(SalesInput)
    .output(SalesSummary)
    .query(async ({ ctx, input }) => {
      const w = windowOf(ctx, input.days);
      const totals = await salesSummaryQuery(ctx.db, w).get();
      const t = totals ?? {
        orders: 0,
        revenueCents: 0,
        discountedOrders: 0,
        discountCents: 0,
        taxCents: 0,
        refundedOrders: 0,
        refundedCents: 0,
      };
      return {
        from: w.from,
        to: w.to,
        currency: ctx.config.currency,
        ...t,
        averageOrderCents: t.orders === 0 ? 0 : Math.round(t.revenueCents / t.orders),
        refundRate: refundRate(t.orders, t.refundedOrders),
      };
    }),

  topProducts: adminProcedure
    .input(
      SalesInput.unwrap()
        .extend({ limit: z.number().int().min(1).max(20).default(5) })
        .default({ days: 30, limit: 5 }),
    )
    .output(TopProducts)
    .query(({ ctx, input }) => topProductsQuery(ctx.db, windowOf(ctx, input.days), input.limit).all()),

  /** As topProducts, per variant sold (a T-shirt's sizes and colours apart). */
  topVariants: adminProcedure
    .input(
      SalesInput.unwrap()
        .extend({ limit: z.number().int().min(1).max(20).default(5) })
        .default({ days: 30, limit: 5 }),
    )
    .output(TopVariants)
    .query(({ ctx, input }) => topVariantsQuery(ctx.db, windowOf(ctx, input.days), input.limit).all()),

  discountUsage: adminProcedure
    .input(SalesInput)
    .output(DiscountUsage)
    .query(({ ctx, input }) => discountUsageQuery(ctx.db, windowOf(ctx, input.days)).all()),
});
