// orders.*: a customer's own orders; cancelling a paid order restocks and refunds it.
import { tracked } from "@trpc/server";
import * as z from "zod";
import { latestEventId, orderEventsAfter } from "../../db/order-events";
import { listOrders } from "../../db/order-list";
import { findOrderWithLines } from "../../db/orders";
import { changeOrderStatus } from "../../services/order-transitions";
import { live } from "../live";
import { forgetReviewPages } from "./reviews";
import { refuse } from "../../domain/refusals";
import { authedProcedure, router } from "../trpc";
import { EventId, Id, page, PageInput, parseCursor } from "../views/common";
import { notFound, OrderView, orderPage, ReceiptView, toOrderView } from "../views/order";

export const ordersRouter = router({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/orders",
        tags: ["orders"],
        summary: "The customer's own orders, newest first.",
        protect: true,
        refusals: { 400: "Invalid input, or a page cursor we did not issue." },
      },
    })
    .input(z.object(PageInput).optional())
    .output(page(OrderView))
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 20;
      return orderPage(await listOrders(ctx.db, { userId: ctx.user.id }, parseCursor(input?.cursor), limit), limit);
    }),

  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/orders/{id}",
        tags: ["orders"],
        summary: "One order (its owner or an admin).",
        protect: true,
        refusals: { 404: "No such order among yours." },
      },
    })
    .input(z.object({ id: Id }))
    .output(OrderView)
    .query(async ({ ctx, input }) => {
      const order = await findOrderWithLines(ctx.db, input.id);
      // Someone else's order is indistinguishable from a missing one.
      if (!order || (order.userId !== ctx.user.id && ctx.user.role !== "admin")) throw notFound();
      return toOrderView(order);
    }),

  receipt: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/orders/{id}/receipt",
        tags: ["orders"],
        summary: "What a receipt prints: the order (lines, tax, shipping, totals) and the shop's legal details.",
        protect: true,
        refusals: { 404: "No such order among yours." },
      },
    })
    .input(z.object({ id: Id }))
    .output(ReceiptView)
    .query(async ({ ctx, input }) => {
      const order = await findOrderWithLines(ctx.db, input.id);
      if (!order || (order.userId !== ctx.user.id && ctx.user.role !== "admin")) throw notFound();
      const { name, address, taxId } = ctx.config.mail.shop;
      return { order: toOrderView(order), shop: { name, address: [...address], taxId } };
    }),

  /**
   * The order's state changes as they happen (server-sent events): each event carries the order as
   * it now stands, tracked by its order_events id, so a client that reconnects with `lastEventId`
   * gets what it missed, from D1. Same access as orders.get.
   */
  onUpdate: authedProcedure.input(z.object({ id: Id, lastEventId: EventId.nullish() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const first = await findOrderWithLines(ctx.db, input.id);
    if (!first || (first.userId !== ctx.user.id && ctx.user.role !== "admin")) throw notFound();
    const events = live(
      ctx,
      input.id,
      signal,
      input.lastEventId ? Number(input.lastEventId) : null,
      (after) => orderEventsAfter(ctx.db, input.id, after),
      () => latestEventId(ctx.db, input.id),
    );
    for await (const event of events) {
      const order = await findOrderWithLines(ctx.db, input.id);
      if (!order) return;
      yield tracked(String(event.id), { status: event.status, at: event.createdAt, order: toOrderView(order) });
    }
  }),

  cancel: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/orders/{id}/cancel",
        tags: ["orders"],
        summary: "Cancel a paid order that has not shipped: restocks and refunds it.",
        protect: true,
        refusals: {
          404: "No such order among yours.",
          412: "Only a paid order that has not shipped can be cancelled (`data.reason = invalid_transition`), or it changed meanwhile (`conflict`).",
        },
      },
    })
    .meta({ rateLimit: { key: "user", limit: 20, windowSeconds: 60 } })
    .input(z.object({ id: Id }))
    .output(OrderView)
    .mutation(async ({ ctx, input }) => {
      const order = await findOrderWithLines(ctx.db, input.id);
      if (!order || order.userId !== ctx.user.id) throw notFound();
      if (order.status !== "paid") {
        throw refuse(
          "precondition",
          `Only a paid order that has not shipped can be cancelled; this one is ${order.status}.`,
          "invalid_transition",
        );
      }
      const cancelled = await changeOrderStatus(ctx, order, "cancelled");
      await forgetReviewPages(ctx.cache, order);
      return toOrderView(cancelled);
    }),
});
