// Business refusals in the domain's words: the closed set of reasons a rule gives for refusing a
// call (`data.reason` on the wire), what kind of refusal each is, and the error services throw.
// Clients receive the reasons as a literal union; adding one is a contract change.
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
  "line_quantity_limit",
  "cart_full",
  "orders_in_progress",
  "no_shipping_to_address",
  "shipping_option_unavailable",
  "unknown_region",
  "variant_unavailable",
  // Account links (verification, reset, change of e-mail) and addresses.
  "token_invalid",
  "token_expired",
  "email_not_verified",
  "email_taken",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Every `data.reason` an error can carry: the business rules' and input that cannot be read at all. */
export const ERROR_REASONS = [...REFUSAL_REASONS, "unparsable_input"] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/**
 * What kind of refusal it is, without naming a transport: the router maps each kind to its
 * status once (router/errors.ts). `rejected_input` is input valid in shape but refused by a rule
 * (a line over its limit), `precondition` a state that does not allow the call now, `unprocessable`
 * a request that contradicts an earlier one, `unavailable` a capability missing here.
 */
export const REFUSAL_KINDS = ["rejected_input", "conflict", "precondition", "unprocessable", "unavailable"] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

/** A business rule said no: thrown by services and procedures, answered with its reason and message. */
export class Refusal extends Error {
  readonly kind: RefusalKind;
  readonly reason: RefusalReason;
  constructor(kind: RefusalKind, reason: RefusalReason, message: string) {
    super(message);
    this.name = "Refusal";
    this.kind = kind;
    this.reason = reason;
  }
}

export const refuse = (kind: RefusalKind, message: string, reason: RefusalReason) => new Refusal(kind, reason, message);
