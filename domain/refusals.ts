// The closed set of reasons a business rule gives for refusing a call (`data.reason` on the
// wire). Clients receive them as a literal union; adding one is a contract change.
import { DISCOUNT_REFUSALS } from "./discounts";

export const REFUSAL_REASONS = [
  ...DISCOUNT_REFUSALS,
  "empty_cart",
  "out_of_stock",
  "payment_declined",
  "payment_unavailable",
  "payments_not_configured",
  "invalid_transition",
  "conflict",
  "payment_not_succeeded",
  "idempotency_key_reused",
  "last_admin",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
