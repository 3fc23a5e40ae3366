// What the shop needs from a payment provider, and the states a payment goes through.

/**
 * A payment's life: `pending` until the provider settles it (or 3-D Secure finishes), then
 * `succeeded`; `failed` when it was declined or released unpaid; a cancellation moves a succeeded
 * payment to `refund_pending` until the provider confirms `refunded` (or `refund_failed` after the
 * last retry); `disputed` when the card holder disputes the charge.
 */
export const PAYMENT_STATUSES = ["pending", "succeeded", "failed", "refund_pending", "refunded", "refund_failed", "disputed"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A provider's event that changes a payment, read from Stripe's event format (the test provider
 * sends the same), applied at most once by its id. `providerRef` is the PaymentIntent's id.
 */
export type PaymentEvent =
  | { id: string; type: "payment_intent.succeeded"; orderId: string; providerRef: string; amountCents: number }
  | { id: string; type: "payment_intent.payment_failed"; orderId: string; providerRef: string }
  | { id: string; type: "charge.refunded"; providerRef: string }
  | { id: string; type: "charge.dispute.created"; providerRef: string };

export type ChargeResult =
  | { outcome: "succeeded"; providerRef: string }
  /** 3-D Secure: the order stays pending; the frontend finishes with `clientSecret`, the webhook settles. */
  | { outcome: "requires_action"; providerRef: string; clientSecret: string }
  | { outcome: "declined"; reason: string }
  /** Timeout, 5xx, network: nothing was charged as far as the shop knows. */
  | { outcome: "error"; reason: string };

/** What the provider knows of an order's payment, asked by the reconciliation cron. */
export type PaymentLookup =
  | { outcome: "succeeded"; providerRef: string }
  /** Still waiting (3-D Secure, processing): ask again later. */
  | { outcome: "pending"; providerRef: string }
  /** Declined, cancelled, or never created: nothing was charged. */
  | { outcome: "not_charged" }
  | { outcome: "error"; reason: string };

export type RefundResult =
  | { outcome: "refunded"; refundRef: string }
  /** Accepted, confirmation comes later (a webhook or the next lookup). */
  | { outcome: "pending"; refundRef: string }
  /** The provider refused for good: retrying will not help. */
  | { outcome: "failed"; reason: string }
  /** Timeout, 5xx, network: retry with the same idempotency key. */
  | { outcome: "error"; reason: string };

export interface PaymentProvider {
  readonly name: string;
  /** Creates and confirms the payment in one call; `idempotencyKey` is the order id. */
  charge(input: { orderId: string; amountCents: number; currency: string; token: string; idempotencyKey: string }): Promise<ChargeResult>;
  /**
   * `abandon`: the order has waited longer than any customer's 3-D Secure step takes, so a payment
   * still waiting for the customer is cancelled at the provider and answered as not charged.
   */
  lookup(input: { orderId: string; idempotencyKey: string; abandon?: boolean }): Promise<PaymentLookup>;
  refund(input: { providerRef: string; amountCents: number; idempotencyKey: string }): Promise<RefundResult>;
}
