// The payment providers the shop can use, chosen from configuration. The built-in test provider
// decides by token, as the contract lists.
import type { PaymentProvider } from "../domain/payments";
import type { AppConfig } from "../lib/config";

export const testPaymentProvider: PaymentProvider = {
  name: "test",
  async charge({ token, idempotencyKey }) {
    if (token === "tok_visa")
      return { outcome: "succeeded", providerRef: `ch_test_${idempotencyKey.slice(0, 24)}_${crypto.randomUUID().slice(0, 8)}` };
    if (token === "tok_declined") return { outcome: "declined", reason: "Your card was declined." };
    if (token === "tok_error") return { outcome: "error", reason: "The payment provider is unavailable." };
    return { outcome: "declined", reason: "Unknown payment token." };
  },
  async lookup() {
    return { outcome: "not_charged" };
  },
  async refund({ idempotencyKey }) {
    return { outcome: "refunded", refundRef: `re_test_${idempotencyKey.slice(0, 24)}` };
  },
};

/** The provider for this deployment. Only the test provider exists so far. */
export const paymentsFor = (_config: AppConfig): PaymentProvider => testPaymentProvider;
