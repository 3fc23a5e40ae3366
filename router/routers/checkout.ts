// checkout.placeOrder: validates the request and runs the checkout saga (services/checkout);
// checkout.paymentSetup: what the frontend needs to collect a card.
import * as z from "zod";
import { placeOrder } from "../../services/checkout";
import { authedProcedure, publicProcedure, router } from "../trpc";
import { CheckoutView, PaymentSetupView, toCheckoutView, toPaymentSetupView } from "../views/checkout";
import { Id } from "../views/common";
import { CheckoutAddress } from "../views/order";

export const checkoutRouter = router({
  // Served by the Worker rather than built into the app, so one build of the app fits every
  // environment (test mode, live mode, the local fake).
  paymentSetup: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/checkout/payment-setup",
        tags: ["checkout"],
        summary: "How this shop takes cards: the provider and, for Stripe, the publishable key Stripe.js needs.",
        protect: false,
      },
    })
    .output(PaymentSetupView)
    .query(({ ctx }) => toPaymentSetupView(ctx.config.payments)),

  placeOrder: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/checkout",
        tags: ["checkout"],
        summary: "Place an order from the cart and pay for it; idempotent per idempotencyKey.",
        protect: true,
        refusals: {
          400: "Invalid input; or the shipping option is not offered for this address and cart (`data.reason = shipping_option_unavailable`); or the region names no state where tax is set per state, or none is given where the shop taxes per state (`data.reason = unknown_region`). Nothing was reserved.",
          412: "The cart cannot be bought as it stands, or the payment failed; `data.reason` says why (empty_cart, out_of_stock, a discount reason, no_shipping_to_address, payment_declined, payment_unavailable). Nothing was charged.",
          422: "This idempotencyKey was used for a different order (`data.reason = idempotency_key_reused`).",
          503: "This shop cannot take payments right now (`data.reason = payments_not_configured`), or it is temporarily unavailable; nothing was charged.",
        },
      },
    })
    // Reserving stock must see every other checkout's reservation: it starts on the D1 primary.
    .meta({ rateLimit: { key: "user", limit: 20, windowSeconds: 60 }, consistency: "primary" })
    .input(
      z.object({
        idempotencyKey: z
          .string()
          .trim()
          .min(8)
          .max(64)
          .regex(/^[A-Za-z0-9._:-]+$/, "Use letters, digits and . _ : - only."),
        shippingAddress: CheckoutAddress,
        paymentToken: z.string().trim().min(1).max(100),
        // Optional: clients written before shipping options get the cheapest that applies.
        shippingOptionId: Id.optional(),
      }),
    )
    .output(CheckoutView)
    .mutation(async ({ ctx, input }) => toCheckoutView(await placeOrder(ctx, ctx.user.id, input))),
});
