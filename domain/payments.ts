// Payments go through a PaymentProvider, so a real one (Stripe, Adyen…) can be plugged in.
// The built-in test provider decides by token, as the contract lists.
export const PAYMENT_STATUSES = ["pending", "succeeded", "failed", "refunded"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment provider's event, as the webhook accepts it, applied at most once by its id. */
export type PaymentEvent =
  | { id: string; type: "payment.succeeded"; data: { orderId: string; providerRef: string } }
  | { id: string; type: "payment.failed"; data: { orderId: string } }
  | { id: string; type: "payment.refunded"; data: { orderId: string } };

export type ChargeResult =
  | { outcome: "succeeded"; providerRef: string }
  | { outcome: "declined"; reason: string }
  | { outcome: "error"; reason: string };

export interface PaymentProvider {
  readonly name: string;
  charge(input: { amountCents: number; currency: string; token: string; idempotencyKey: string }): Promise<ChargeResult>;
  refund(input: { providerRef: string; amountCents: number }): Promise<{ ok: boolean }>;
}

export const testPaymentProvider: PaymentProvider = {
  name: "test",
  async charge({ token, idempotencyKey }) {
    if (token === "tok_visa") return { outcome: "succeeded", providerRef: `ch_test_${idempotencyKey.slice(0, 24)}_${crypto.randomUUID().slice(0, 8)}` };
    if (token === "tok_declined") return { outcome: "declined", reason: "Your card was declined." };
    if (token === "tok_error") return { outcome: "error", reason: "The payment provider is unavailable." };
    return { outcome: "declined", reason: "Unknown payment token." };
  },
  async refund() {
    return { ok: true };
  },
};
