// The payment provider a deployment uses, chosen from its configuration (lib/config decides which
// may run where): Stripe, the built-in test provider, or one that takes nothing.
import type { PaymentProvider } from "../domain/payments";
import type { AppConfig, PaymentsProblem } from "../lib/config";
import { stripeProvider } from "./stripe";
import { testPayments } from "./test-payments";

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
      return testPayments(payments.webhookSecret);
    case "unconfigured":
      return unconfiguredPayments(payments.problem);
    case "stripe":
      return stripeProvider(payments);
  }
}
