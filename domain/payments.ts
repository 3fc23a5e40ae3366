// What the shop needs from a payment provider, and the states a payment goes through.
export const PAYMENT_STATUSES = ["pending", "succeeded", "failed", "refunded"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment provider's event, as the webhook accepts it, applied at most once by its id. */
export type PaymentEvent =
  | { id: string; type: "payment.succeeded"; data: { orderId: string; providerRef: string } }
  | { id: string; type: "payment.failed"; data: { orderId: string } }
  | { id: string; type: "payment.refunded"; data: { orderId: string } };

export type ChargeResult =
  { outcome: "succeeded"; providerRef: string } | { outcome: "declined"; reason: string } | { outcome: "error"; reason: string };

export interface PaymentProvider {
  readonly name: string;
  charge(input: { amountCents: number; currency: string; token: string; idempotencyKey: string }): Promise<ChargeResult>;
  refund(input: { providerRef: string; amountCents: number }): Promise<{ ok: boolean }>;
}
