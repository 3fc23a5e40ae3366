// Order state changes: the state machine's check, the guarded batch, and the durable side effects
// (refund, notifications) it commits, sent through the outbox queue.
import { SHIPPABLE_PAYMENT } from "../domain/order-payment";
import { canTransition, type OrderStatus } from "../domain/order-status";
import { transition } from "../db/order-transitions";
import type { OrderAndLines, OrderWithLines } from "../db/orders";
import type { Payment } from "../db/schema";
import { enqueueOutbox } from "./outbox";
import { publishOrderUpdate } from "./order-updates";
import { refuse } from "../domain/refusals";
import type { Deps } from "./deps";

const paymentNotSucceeded = () =>
  refuse(
    "precondition",
    "This order's payment has not succeeded (pending, refunded or disputed); it cannot ship.",
    "payment_not_succeeded",
  );

/** Feeds wake live subscribers after a change commits; without them nobody is woken. */
export type TransitionDeps = Pick<Deps, "db" | "log" | "outbox" | "now"> &
  Partial<Pick<Deps, "feeds">> & {
    /** Who asks for the change, for the order's history (absent: the shop itself). */
    user?: { id: string } | null;
  };

/** Applies a state change the state machine allows; cancelling restocks and requests the refund. */
export async function changeOrderStatus(deps: TransitionDeps, order: OrderWithLines, to: OrderStatus): Promise<OrderAndLines> {
  if (!canTransition(order.status, to)) {
    throw refuse("precondition", `An order that is ${order.status} cannot become ${to}.`, "invalid_transition");
  }
  if (to === "shipped" && order.payment?.status !== SHIPPABLE_PAYMENT) throw paymentNotSucceeded();
  const stamp = deps.now();
  const { outcome, outbox } = await transition(deps.db, order, to, stamp, deps.user?.id ?? null);
  if (outcome === "payment_not_succeeded") throw paymentNotSucceeded();
  if (outcome === "order_changed") throw refuse("precondition", "This order changed meanwhile; reload it.", "conflict");
  // Committed: the refund and the notifications are owed now; the queue carries them out.
  await enqueueOutbox(deps, outbox);
  await publishOrderUpdate(deps, order.id);
  return { ...order, status: to, updatedAt: new Date(stamp), payment: afterTransition(order.payment, to, stamp) };
}

/** The payment as the batch left it: a cancellation asked for the refund of a succeeded payment. */
function afterTransition(payment: Payment | null, to: OrderStatus, stamp: number): Payment | null {
  if (to !== "cancelled" || payment?.status !== "succeeded") return payment;
  return { ...payment, status: "refund_pending", updatedAt: new Date(stamp) };
}
