// What checkout.placeOrder answers (the order, and what the frontend must do to finish paying),
// and checkout.paymentSetup (how the frontend collects a card).
import * as z from "zod";
import type { PaymentsConfig } from "../../lib/config";
import type { PlacedOrder } from "../../services/checkout";
import { OrderView, toOrderView } from "./order";

/** 3-D Secure and the like: the order stays pending until the provider's webhook settles it. */
export const NextAction = z.object({
  type: z.literal("confirm_payment"),
  /** Which provider's client-side step finishes it: "stripe" (Stripe.js) or "test". */
  provider: z.string(),
  clientSecret: z.string(),
});

export const CheckoutView = OrderView.extend({ nextAction: NextAction.nullable() });

export const toCheckoutView = (placed: PlacedOrder): z.infer<typeof CheckoutView> => ({
  ...toOrderView(placed),
  nextAction: placed.nextAction,
});

/**
 * How a frontend collects the card: with Stripe, Stripe.js and this publishable key (public by
 * design: it can only create tokens); with the test provider, its made-up tokens (tok_visa…).
 */
export const PaymentSetupView = z.discriminatedUnion("provider", [
  z.object({ provider: z.literal("stripe"), publishableKey: z.string() }),
  z.object({ provider: z.literal("test") }),
  z.object({ provider: z.literal("unconfigured") }),
]);

export const toPaymentSetupView = (payments: PaymentsConfig): z.infer<typeof PaymentSetupView> =>
  payments.provider === "stripe" ? { provider: "stripe", publishableKey: payments.publishableKey } : { provider: payments.provider };
