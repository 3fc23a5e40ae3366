import { describe, expect, it } from "vitest";
import { canTransition, PURCHASED_STATUSES } from "./order-status";

const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;
// The only moves an order can make; every other pair is refused.
const ALLOWED = new Set(["pending→paid", "paid→shipped", "paid→cancelled", "shipped→delivered"]);

describe("order state machine", () => {
  it.each(STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, ALLOWED.has(`${from}→${to}`)] as const)))(
    "%s → %s is %s",
    (from, to, allowed) => expect(canTransition(from, to)).toBe(allowed),
  );
});

describe("purchases", () => {
  it("are the orders that were paid for and not cancelled", () => {
    expect(PURCHASED_STATUSES).toEqual(["paid", "shipped", "delivered"]);
  });
});
