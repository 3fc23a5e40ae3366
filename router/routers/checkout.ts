// checkout.placeOrder: prices the cart server-side, reserves stock atomically, charges, settles.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { DISCOUNT_REFUSAL_MESSAGE } from "../../domain/discounts";
import { testPaymentProvider, type PaymentProvider } from "../../domain/payments";
import { readCartStatements, type CartDiscountRow, type CartLineRow } from "../../db/carts";
import { isCheckViolation, isUniqueViolation } from "../../db/client";
import {
  findIdempotentOrderIdStatement,
  findOrderWithLines,
  releaseStatements,
  reserveStatements,
  settlePaidStatements,
  type Reservation,
} from "../../db/orders";
import { log } from "../../lib/log";
import { priceCartRows } from "../views/cart";
import type { Context } from "../context";
import { OrderView, ShippingAddress, toOrderView } from "../views/order";
import { refuse } from "../refusal";
import { authedProcedure, router } from "../trpc";

// The provider in use; a real one would be chosen from configuration here.
export const paymentProvider: PaymentProvider = testPaymentProvider;

async function existingOrder(ctx: Context, orderId: string) {
  const order = await findOrderWithLines(ctx.db, orderId);
  if (!order) throw new TRPCError({ code: "CONFLICT", message: "This checkout is still being processed; retry in a moment." });
  return toOrderView(order);
}

export const checkoutRouter = router({
  placeOrder: authedProcedure
    .meta({ rateLimit: { key: "user", limit: 20, windowSeconds: 60 } })
    .input(
      z.object({
        idempotencyKey: z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9._:-]+$/, "Use letters, digits and . _ : - only."),
        shippingAddress: ShippingAddress,
        paymentToken: z.string().trim().min(1).max(100),
      }),
    )
    .output(OrderView)
    .mutation(async ({ ctx, input }) => {
      const d1 = ctx.db.$client;
      const userId = ctx.user.id;

      // One round trip: a previous order under this key, the cart and its discount.
      const [keyResult, linesResult, discountResult] = await d1.batch([
        findIdempotentOrderIdStatement(d1, userId, input.idempotencyKey),
        ...readCartStatements(d1, userId),
      ]);
      const previous = keyResult.results[0] as { orderId: string } | undefined;
      if (previous) return existingOrder(ctx, previous.orderId);

      const lines = linesResult.results as unknown as CartLineRow[];
      const discount = (discountResult.results[0] as unknown as CartDiscountRow | undefined) ?? null;
      const priced = priceCartRows(lines, discount, ctx.config);
      if (lines.length === 0) throw refuse("PRECONDITION_FAILED", "Your cart is empty.", "empty_cart");
      if (!priced.purchasable) throw refuse("PRECONDITION_FAILED", "Some items in your cart are out of stock or unavailable.", "out_of_stock");
      const removed = priced.warnings.find((w) => w.kind === "discount_removed");
      if (removed) throw refuse("PRECONDITION_FAILED", DISCOUNT_REFUSAL_MESSAGE[removed.reason], removed.reason);

      const reservation: Reservation = {
        orderId: crypto.randomUUID(),
        userId,
        idempotencyKey: input.idempotencyKey,
        currency: ctx.config.currency,
        subtotalCents: priced.subtotalCents,
        discountCents: priced.discountCents,
        shippingCents: priced.shippingCents,
        totalCents: priced.totalCents,
        discount: discount && priced.appliedCode ? { id: discount.id, code: discount.code, onePerCustomer: discount.onePerCustomer === 1 } : null,
        shippingAddress: input.shippingAddress,
        lines: priced.lines.map((l) => ({ productId: l.productId, name: l.name, unitPriceCents: l.unitPriceCents, quantity: l.quantity })),
        createdAt: Date.now(),
      };

      try {
        await d1.batch(reserveStatements(d1, reservation));
      } catch (error) {
        if (isUniqueViolation(error, "idempotency_keys")) {
          // A concurrent request with the same key won the race: answer with its order.
          const [winner] = await d1.batch([findIdempotentOrderIdStatement(d1, userId, input.idempotencyKey)]);
          const row = winner.results[0] as { orderId: string } | undefined;
          if (row) return existingOrder(ctx, row.orderId);
        }
        if (isCheckViolation(error, "products_stock_nonnegative")) {
          throw refuse("PRECONDITION_FAILED", "Some items sold out while you were checking out.", "out_of_stock");
        }
        if (isCheckViolation(error, "discounts_within_max")) throw refuse("PRECONDITION_FAILED", DISCOUNT_REFUSAL_MESSAGE.used_up, "used_up");
        if (isUniqueViolation(error, "discount_redemptions")) {
          throw refuse("PRECONDITION_FAILED", DISCOUNT_REFUSAL_MESSAGE.already_used, "already_used");
        }
        throw error;
      }

      const charge = await paymentProvider
        .charge({ amountCents: reservation.totalCents, currency: reservation.currency, token: input.paymentToken, idempotencyKey: reservation.orderId })
        .catch((error: unknown) => ({ outcome: "error" as const, reason: String(error) }));

      if (charge.outcome !== "succeeded") {
        await d1.batch(releaseStatements(d1, reservation));
        if (charge.outcome === "declined") throw refuse("PRECONDITION_FAILED", charge.reason, "payment_declined");
        log("error", "payment.provider_failed", { requestId: ctx.requestId, orderId: reservation.orderId, reason: charge.reason });
        throw refuse("PRECONDITION_FAILED", "The payment provider is unavailable; you have not been charged. Try again shortly.", "payment_unavailable");
      }

      const paidAt = Date.now();
      await d1.batch(settlePaidStatements(d1, reservation, paymentProvider.name, charge.providerRef, paidAt));
      return toOrderView({
        id: reservation.orderId,
        userId,
        status: "paid",
        currency: reservation.currency,
        subtotalCents: reservation.subtotalCents,
        discountCents: reservation.discountCents,
        shippingCents: reservation.shippingCents,
        totalCents: reservation.totalCents,
        discountCode: reservation.discount?.code ?? null,
        shippingAddress: input.shippingAddress,
        createdAt: new Date(reservation.createdAt),
        updatedAt: new Date(paidAt),
        lines: reservation.lines.map((l) => ({ ...l, orderId: reservation.orderId })),
      });
    }),
});
