// What checkout.placeOrder answers: the order, and what the frontend must do to finish paying.
import * as z from "zod";
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
