// orders.*: a customer's own orders; cancelling a paid order restocks and refunds it.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { canTransition } from "../../domain/order-status";
import { findOrderWithLines, listOrders, transitionStatements, type OrderAndLines, type OrderWithLines } from "../../db/orders";
import type { OrderStatus } from "../../domain/order-status";
import { log } from "../../lib/log";
import { paymentProvider } from "./checkout";
import type { Context } from "../context";
import { OrderView, toOrderView } from "../views/order";
import { refuse } from "../refusal";
import { Id, page, PageInput, parseCursor, toPage, byCreation } from "../views/common";
import { authedProcedure, router } from "../trpc";

export const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Order not found." });

export function orderPage(rows: OrderAndLines[], limit: number) {
  const { items, nextCursor } = toPage(rows, limit, byCreation);
  return { items: items.map(toOrderView), nextCursor };
}

/** Applies a state change the state machine allows; cancelling restocks and refunds. */
export async function changeOrderStatus(ctx: Context, order: OrderWithLines, to: OrderStatus) {
  if (!canTransition(order.status, to)) {
    throw refuse("PRECONDITION_FAILED", `An order that is ${order.status} cannot become ${to}.`, "invalid_transition");
  }
  const stamp = Date.now();
  const results = await ctx.db.$client.batch(transitionStatements(ctx.db.$client, order, to, stamp));
  if (results[results.length - 1].meta.changes === 0) throw refuse("PRECONDITION_FAILED", "This order changed meanwhile; reload it.", "conflict");
  if (to === "cancelled" && order.payment?.providerRef) {
    const refund = await paymentProvider.refund({ providerRef: order.payment.providerRef, amountCents: order.payment.amountCents });
    if (!refund.ok) log("error", "payment.refund_failed", { requestId: ctx.requestId, orderId: order.id });
  }
  return toOrderView({ ...order, status: to, updatedAt: new Date(stamp) });
}

export const ordersRouter = router({
  list: authedProcedure
    .input(z.object(PageInput).optional())
    .output(page(OrderView))
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 20;
      return orderPage(await listOrders(ctx.db, { userId: ctx.user.id }, parseCursor(input?.cursor), limit), limit);
    }),

  get: authedProcedure
    .input(z.object({ id: Id }))
    .output(OrderView)
    .query(async ({ ctx, input }) => {
      const order = await findOrderWithLines(ctx.db, input.id);
      // Someone else's order is indistinguishable from a missing one.
      if (!order || (order.userId !== ctx.user.id && ctx.user.role !== "admin")) throw notFound();
      return toOrderView(order);
    }),

  cancel: authedProcedure
    .meta({ rateLimit: { key: "user", limit: 20, windowSeconds: 60 } })
    .input(z.object({ id: Id }))
    .output(OrderView)
    .mutation(async ({ ctx, input }) => {
      const order = await findOrderWithLines(ctx.db, input.id);
      if (!order || order.userId !== ctx.user.id) throw notFound();
      if (order.status !== "paid") {
        throw refuse("PRECONDITION_FAILED", `Only a paid order that has not shipped can be cancelled; this one is ${order.status}.`, "invalid_transition");
      }
      return changeOrderStatus(ctx, order, "cancelled");
    }),
});
