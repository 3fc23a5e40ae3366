// The order state machine: pending → paid → shipped → delivered, and paid → cancelled.
export const ORDER_STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["paid"],
  paid: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus) => NEXT[from].includes(to);

/** Orders whose lines were bought: they make a review verified and count as co-purchases. */
export const PURCHASED_STATUSES: readonly OrderStatus[] = ["paid", "shipped", "delivered"];
