// What an order shows of its payment, and which payment states let it ship.
import type { PaymentStatus } from "./payments";

/** The payment states an order's view carries (the contract's list): `failed` is not one of them. */
export const ORDER_PAYMENT_STATUSES = ["pending", "succeeded", "refund_pending", "refunded", "refund_failed", "disputed"] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

/**
 * An order's payment as clients see it. No payment row yet (a checkout between reserving and
 * settling) is `pending`. A `failed` payment (declined, abandoned 3-D Secure, released by the
 * cron) is no payment at all: null, so neither a customer nor an admin mistakes it for money that
 * moved (a "refunded" would send them looking for a refund that never existed).
 */
export function orderPaymentStatus(payment: { status: PaymentStatus } | null): OrderPaymentStatus | null {
  if (!payment) return "pending";
  return payment.status === "failed" ? null : payment.status;
}

/** Only a payment the provider settled and nobody has disputed or refunded lets an order ship. */
export const SHIPPABLE_PAYMENT: PaymentStatus = "succeeded";

/**
 * A purchase still stands (it makes a review verified) while its order is one of the purchased
 * states and its payment has succeeded: not refunded, waiting on or failing a refund, or disputed.
 */
export const STANDING_PURCHASE_PAYMENT: PaymentStatus = "succeeded";
