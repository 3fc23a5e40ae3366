// The order state machine: pending → paid → shipped → delivered, and paid → cancelled.
export const ORDER_STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["paid"],
  paid: ["shipped", "cancelled"],
  shipped: ["delivered"],
  // Terminal. (Mutation testing: a placeholder in these arrays is no status anyone can pass.)
  // Stryker disable next-line ArrayDeclaration: equivalent, no OrderStatus equals the placeholder
  delivered: [],
  // Stryker disable next-line ArrayDeclaration: equivalent, no OrderStatus equals the placeholder
  cancelled: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus) => NEXT[from].includes(to);

/** Orders whose lines were bought: they make a review verified and count as co-purchases. */
export const PURCHASED_STATUSES: readonly OrderStatus[] = ["paid", "shipped", "delivered"];
