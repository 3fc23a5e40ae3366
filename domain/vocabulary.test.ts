// The closed sets of values the API speaks (statuses, kinds, roles, sorts, refusal reasons):
// clients receive them as literal unions, so changing one is a contract change.
import { describe, expect, it } from "vitest";
import { PRODUCT_STATUSES, SORTS } from "./catalog";
import { DISCOUNT_KINDS, DISCOUNT_REFUSALS } from "./discounts";
import { ORDER_PAYMENT_STATUSES } from "./order-payment";
import { ORDER_STATUSES } from "./order-status";
import { PAYMENT_STATUSES } from "./payments";
import { REFUSAL_REASONS, Refusal, refuse } from "./refusals";
import { ROLES } from "./roles";
import { SHIPPING_RATE_KINDS } from "./shipping";
import { STOCK_STATUSES } from "./stock";
import { TAX_MODES } from "./tax";
import { VARIANT_STATUSES } from "./variants";

describe("the API's vocabulary", () => {
  it.each([
    ["order statuses", ORDER_STATUSES, ["pending", "paid", "shipped", "delivered", "cancelled"]],
    ["payment statuses", PAYMENT_STATUSES, ["pending", "succeeded", "failed", "refund_pending", "refunded", "refund_failed", "disputed"]],
    ["order payment statuses", ORDER_PAYMENT_STATUSES, ["pending", "succeeded", "refund_pending", "refunded", "refund_failed", "disputed"]],
    ["product statuses", PRODUCT_STATUSES, ["active", "archived"]],
    ["variant statuses", VARIANT_STATUSES, ["active", "archived"]],
    ["stock statuses", STOCK_STATUSES, ["in_stock", "low", "out"]],
    ["sorts", SORTS, ["newest", "price_asc", "price_desc", "rating"]],
    ["roles", ROLES, ["customer", "admin"]],
    ["discount kinds", DISCOUNT_KINDS, ["percent", "fixed"]],
    ["shipping rate kinds", SHIPPING_RATE_KINDS, ["flat", "weight"]],
    ["tax modes", TAX_MODES, ["inclusive", "exclusive"]],
    ["discount refusals", DISCOUNT_REFUSALS, ["unknown", "not_started", "expired", "below_minimum", "used_up", "already_used"]],
    [
      "refusal reasons",
      REFUSAL_REASONS,
      [
        "unknown",
        "not_started",
        "expired",
        "below_minimum",
        "used_up",
        "already_used",
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
        "token_invalid",
        "token_expired",
        "email_not_verified",
        "email_taken",
      ],
    ],
  ])("lists the %s", (_, values, expected) => expect(values).toEqual(expected));
});

describe("a Refusal", () => {
  it("is an Error carrying its kind, reason and message", () => {
    const refusal = refuse("precondition", "Your cart is empty.", "empty_cart");
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ name: "Refusal", kind: "precondition", reason: "empty_cart", message: "Your cart is empty." });
  });
});
