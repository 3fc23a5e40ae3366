// Order state changes: the state machine's check, the guarded batch, and the refund a
// cancellation owes.
import type { PaymentProvider } from "../domain/payments";
import { SHIPPABLE_PAYMENT } from "../domain/order-payment";
import { canTransition, type OrderStatus } from "../domain/order-status";
import type { Db } from "../db/client";
import { transition, type OrderAndLines, type OrderWithLines } from "../db/orders";
import type { Logger } from "../lib/log";
import { refuse } from "./refusal";

const paymentNotSucceeded = () =>
  refuse(
    "PRECONDITION_FAILED",
    "This order's payment has not succeeded (pending, refunded or disputed); it cannot ship.",
    "payment_not_succeeded",
  );

export interface TransitionDeps {
  db: Db;
  payments: PaymentProvider;
  log: Logger;
  now: () => number;
}

/** Applies a state change the state machine allows; cancelling restocks and refunds. */
export async function changeOrderStatus(deps: TransitionDeps, order: OrderWithLines, to: OrderStatus): Promise<OrderAndLines> {
  if (!canTransition(order.status, to)) {
    throw refuse("PRECONDITION_FAILED", `An order that is ${order.status} cannot become ${to}.`, "invalid_transition");
  }
  if (to === "shipped" && order.payment?.status !== SHIPPABLE_PAYMENT) throw paymentNotSucceeded();
  const stamp = deps.now();
  const outcome = await transition(deps.db, order, to, stamp);
  if (outcome === "payment_not_succeeded") throw paymentNotSucceeded();
  if (outcome === "order_changed") throw refuse("PRECONDITION_FAILED", "This order changed meanwhile; reload it.", "conflict");
  if (to === "cancelled" && order.payment?.providerRef) {
    const refund = await deps.payments.refund({
      providerRef: order.payment.providerRef,
      amountCents: order.payment.amountCents,
      idempotencyKey: `refund_${order.id}`,
    });
    if (refund.outcome !== "refunded") deps.log.error("payment.refund_failed", { orderId: order.id });
  }
  return { ...order, status: to, updatedAt: new Date(stamp) };
}
