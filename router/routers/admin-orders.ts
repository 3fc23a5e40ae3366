// admin.orders.*: every order, its live updates, its full history, and fulfilment (status changes).
import { tracked } from "@trpc/server";
import * as z from "zod";
import { findAdminOrder } from "../../db/admin";
import { latestEventId, shopEventsAfter } from "../../db/order-events";
import { listOrders } from "../../db/order-list";
import { findOrderWithLines } from "../../db/orders";
import { ORDER_STATUSES } from "../../domain/order-status";
import { PAYMENT_STATUSES } from "../../domain/payments";
import { notFound, OrderView, toOrderView } from "../views/order";
import { changeOrderStatus } from "../../services/order-transitions";
import { AdminOrderDetail, AdminOrderView, adminOrderPage, toAdminOrderDetail } from "../views/admin";
import { EventId, Id, page, PageInput, parseCursor } from "../views/common";
import { SHOP_FEED } from "../../services/order-updates";
import { live } from "../live";
import { forgetReviewPages } from "./reviews";
import { adminProcedure, router } from "../trpc";

export const adminOrdersRouter = router({
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
      return adminOrderPage(await listOrders(ctx.db, filter, parseCursor(input?.cursor), limit, { withCustomer: true }), limit);
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
      const changed = await changeOrderStatus(ctx, order, input.status);
      if (input.status === "cancelled") await forgetReviewPages(ctx.cache, order);
      return toOrderView(changed);
    }),
});
