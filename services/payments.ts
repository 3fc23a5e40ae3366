// The payment providers the shop can use, chosen from configuration. The built-in test provider
// decides by token, as the contract lists.
import type { PaymentProvider } from "../domain/payments";
import type { AppConfig, PaymentsProblem } from "../lib/config";

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

/**
 * What a deployment without a usable provider gets: nothing is charged or refunded, and callers
 * see an outage they may retry once the configuration is fixed. Checkout refuses before this is
 * reached (services/checkout), so this is the last line, not the first.
 */
export const unconfiguredPayments = (problem: PaymentsProblem): PaymentProvider => {
  const reason = `payments_not_configured: ${problem}`;
  return {
    name: "unconfigured",
    charge: async () => ({ outcome: "error", reason }),
    lookup: async () => ({ outcome: "error", reason }),
    refund: async () => ({ outcome: "error", reason }),
  };
};

/** The provider this deployment's configuration names (lib/config decides where each may run). */
export function paymentsFor(config: AppConfig): PaymentProvider {
  const { payments } = config;
  switch (payments.provider) {
    case "test":
      return testPaymentProvider;
    case "unconfigured":
      return unconfiguredPayments(payments.problem);
    case "stripe":
      // The Stripe provider arrives with its own change; until then Stripe takes no payments.
      return unconfiguredPayments("stripe_secret_key_missing");
  }
}
