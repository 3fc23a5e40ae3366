// Payment-state changes the provider's word causes, for the reconciliation cron and the payment
// webhook alike: settle or release a pending order, mark a payment refunded or disputed. The SQL
// guards live in db/payment-state.ts; here the events they commit are put on the outbox queue.
import { markDisputed, markRefunded, releasePending, settlePending, type SettleOutcome } from "../db/payment-state";
import { enqueueOutbox } from "./outbox";
import { publishOrderUpdate } from "./order-updates";
import type { Deps } from "./deps";

/** Feeds wake live subscribers after a change commits; without them nobody is woken. */
export type PaymentStateDeps = Pick<Deps, "db" | "outbox" | "log" | "now"> & Partial<Pick<Deps, "feeds">>;

/**
 * The provider says the pending order's payment succeeded: "settled" (paid, customer told), or
 * "refund_requested" when the order had been released meanwhile (the money goes back), or
 * "unchanged" when another caller settled it first.
 */
export async function settlePendingOrder(
  deps: PaymentStateDeps,
  input: { orderId: string; provider: string; providerRef: string },
): Promise<SettleOutcome> {
  const { outcome, outbox } = await settlePending(deps.db, { ...input, at: new Date(deps.now()) });
  if (outcome === "refund_requested") deps.log.warn("payment.charged_after_release", { orderId: input.orderId });
  await enqueueOutbox(deps, outbox);
  if (outcome === "settled") await publishOrderUpdate(deps, input.orderId);
  return outcome;
}

/** Nothing was charged: stock and discount back, payment failed, order cancelled. False if it was no longer pending. */
export async function releasePendingOrder(deps: PaymentStateDeps, input: { orderId: string; provider: string }): Promise<boolean> {
  const released = await releasePending(deps.db, { ...input, at: new Date(deps.now()) });
  if (released) await publishOrderUpdate(deps, input.orderId);
  return released;
}

/** The provider confirmed a refund. False when the payment was in no state a refund follows. */
export const markPaymentRefunded = (deps: Pick<PaymentStateDeps, "db" | "now">, orderId: string) =>
  markRefunded(deps.db, orderId, new Date(deps.now()));

/** The card holder disputed the charge: the order cannot ship, admins see it. */
export const markPaymentDisputed = (deps: Pick<PaymentStateDeps, "db" | "now">, orderId: string) =>
  markDisputed(deps.db, orderId, new Date(deps.now()));
