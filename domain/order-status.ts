// The order state machine: pending → paid → shipped → delivered, and paid → cancelled.
import type { OrderStatus } from "../db/schema";

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["paid"],
  paid: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus) => NEXT[from].includes(to);
