import { describe, expect, it } from "vitest";
import { ORDER_PAYMENT_STATUSES, orderPaymentStatus, SHIPPABLE_PAYMENT, STANDING_PURCHASE_PAYMENT } from "./order-payment";
import { PAYMENT_STATUSES, type PaymentStatus } from "./payments";

describe("an order's payment as clients see it", () => {
  it("is pending before any payment row exists", () => {
    expect(orderPaymentStatus(null)).toBe("pending");
  });

  it("is no payment at all when the payment failed", () => {
    expect(orderPaymentStatus({ status: "failed" })).toBeNull();
  });

  it.each(PAYMENT_STATUSES.filter((s): s is Exclude<PaymentStatus, "failed"> => s !== "failed"))("shows %s as it is", (status) => {
    expect(orderPaymentStatus({ status })).toBe(status);
    expect(ORDER_PAYMENT_STATUSES).toContain(status);
  });
});

describe("which payments count", () => {
  it("ships an order, and keeps a purchase standing, only on a succeeded payment", () => {
    expect(SHIPPABLE_PAYMENT).toBe("succeeded");
    expect(STANDING_PURCHASE_PAYMENT).toBe("succeeded");
  });
});
